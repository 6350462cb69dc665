// Reference data: the admin page's departments and categories tabs.
import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'

export default {
  name: 'reference',
  messages: { 'zh-CN': zh, en },
  adminTabs: [
    { name: 'departments', label: 'admin.departments', component: defineAsyncComponent(() => import('./components/DepartmentsTab.vue')) },
    { name: 'categories', label: 'admin.categories', component: defineAsyncComponent(() => import('./components/CategoriesTab.vue')) },
  ],
} satisfies WebModule

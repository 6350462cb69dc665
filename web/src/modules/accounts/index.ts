// Accounts: signing in, and the admin page's accounts tab.
import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'
import { routes } from './routes'

export default {
  name: 'accounts',
  routes,
  messages: { 'zh-CN': zh, en },
  adminTabs: [{ name: 'users', label: 'admin.users', component: defineAsyncComponent(() => import('./components/UsersTab.vue')) }],
} satisfies WebModule

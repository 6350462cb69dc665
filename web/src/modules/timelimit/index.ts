// Time limits: deadlines and cards (shown by the case's screens), and the admin page's working
// calendar tab.
import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'

export default {
  name: 'timelimit',
  messages: { 'zh-CN': zh, en },
  adminTabs: [
    { name: 'calendar', label: 'admin.calendar.tab', component: defineAsyncComponent(() => import('./components/CalendarAdmin.vue')), lazy: true },
  ],
} satisfies WebModule

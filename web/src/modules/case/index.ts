// The case loop: the workbench (with the count of what waits for a decision on its menu item), a
// case's detail and actions, the resident's report and tracking, and the grid worker's phone
// screen (its cases and quick report; other modules add tabs to it).
import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'
import { routes } from './routes'

export default {
  name: 'case',
  routes,
  messages: { 'zh-CN': zh, en },
  navBadges: { workbench: defineAsyncComponent(() => import('./components/WorkbenchBadge.vue')) },
} satisfies WebModule

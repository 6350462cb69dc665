// The patrol and visit log (巡查走访): a tab of the grid worker's phone screen.
import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'

export default {
  name: 'patrol',
  messages: { 'zh-CN': zh, en },
  phoneTabs: [{ name: 'log', label: 'patrol.tab', component: defineAsyncComponent(() => import('./components/PatrolLog.vue')) }],
} satisfies WebModule

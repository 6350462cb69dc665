// The inbox (消息): the bell in the header, polled notices that open their case.
import { defineAsyncComponent } from 'vue'
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'

export default {
  name: 'inbox',
  messages: { 'zh-CN': zh, en },
  headerItems: [defineAsyncComponent(() => import('./components/InboxBell.vue'))],
} satisfies WebModule

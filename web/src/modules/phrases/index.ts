// 常用语: phrases kept for the case dialogs (PhrasePicker, used by the case module's ActionDialog).
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'

export default {
  name: 'phrases',
  messages: { 'zh-CN': zh, en },
} satisfies WebModule

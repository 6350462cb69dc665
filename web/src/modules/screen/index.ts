// The command-centre screen (指挥大屏): figures of the other modules on one dark page. It has no
// API of its own.
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'
import { routes } from './routes'

export default { name: 'screen', routes, messages: { 'zh-CN': zh, en } } satisfies WebModule

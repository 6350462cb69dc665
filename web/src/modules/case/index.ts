// The case loop: the workbench, a case's detail and actions, the resident's report and tracking,
// and the grid worker's phone screen (its cases and quick report; other modules add tabs to it).
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'
import { routes } from './routes'

export default { name: 'case', routes, messages: { 'zh-CN': zh, en } } satisfies WebModule

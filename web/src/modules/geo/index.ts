// Geography: the grid map, grids and outlines, placing a point or an address, the locate dialog.
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'
import { routes } from './routes'

export default { name: 'geo', routes, messages: { 'zh-CN': zh, en } } satisfies WebModule

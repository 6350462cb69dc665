// Evaluation (考核评价): rankings of departments, towns, communities, grids and people.
import type { WebModule } from '@/core/module'
import en from './i18n/en'
import zh from './i18n/zh-CN'
import { routes } from './routes'

export default { name: 'evaluation', routes, messages: { 'zh-CN': zh, en } } satisfies WebModule

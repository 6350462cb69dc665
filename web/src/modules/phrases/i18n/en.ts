// English: the same keys as zh-CN.ts (core/i18n/i18n.test.ts checks).
import type zh from './zh-CN'

const en: typeof zh = {
  phrases: {
    pick: 'Phrases',
    keep: 'Keep as a phrase',
    shared: 'Shared',
    remove: 'Remove this phrase',
    none: 'No phrases yet',
  },
}
export default en

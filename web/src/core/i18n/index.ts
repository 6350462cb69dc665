// The i18n layer: zh-CN by default, English selectable; the choice is kept in localStorage. The
// messages are core's (./zh-CN.ts, ./en.ts) merged with every registered module's i18n files.
import { createI18n } from 'vue-i18n'
import { MODULES } from '@/modules'
import coreEn from './en'
import { mergeMessages, type MessagePart } from './merge'
import coreZh from './zh-CN'

export type Lang = 'zh-CN' | 'en'
export const LANGS: { value: Lang; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
]
const KEY = 'cg.lang'

/** Core's and each module's messages in `lang`, each named by its owner. */
export function messageParts(lang: Lang): MessagePart[] {
  return [
    { owner: 'core', messages: lang === 'en' ? coreEn : coreZh },
    ...MODULES.map((m) => ({ owner: m.name, messages: m.messages[lang] })),
  ]
}

export const zh = mergeMessages(messageParts('zh-CN'))
export const en = mergeMessages(messageParts('en'))

export function savedLang(): Lang {
  try {
    const v = localStorage.getItem(KEY)
    if (v === 'en' || v === 'zh-CN') return v
  } catch {
    /* storage may be unavailable */
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: savedLang(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
})

export function setLang(l: Lang) {
  i18n.global.locale.value = l
  document.documentElement.lang = l
  try {
    localStorage.setItem(KEY, l)
  } catch {
    /* ignore */
  }
}

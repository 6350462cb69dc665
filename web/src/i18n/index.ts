// The i18n layer: zh-CN by default, English selectable; the choice is kept in localStorage.
import { createI18n } from 'vue-i18n'
import zh from './zh-CN'
import en from './en'

export type Lang = 'zh-CN' | 'en'
export const LANGS: { value: Lang; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
]
const KEY = 'cg.lang'

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

export { zh, en }

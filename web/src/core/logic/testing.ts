// A `t` over the real message files, for the logic tests: looks a key up and fills {name}s.
import { en, zh } from '../i18n'

export function tOf(lang: 'zh-CN' | 'en') {
  const messages = lang === 'en' ? en : zh
  return (key: string, named: Record<string, unknown> = {}): string => {
    const v = key.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], messages)
    if (typeof v !== 'string') return key
    return v.replace(/\{(\w+)\}/g, (_, n: string) => (n in named ? String(named[n]) : `{${n}}`))
  }
}

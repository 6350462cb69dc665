// Display helpers shared by the screens.
import type { ApiError, CategoryRef } from '../api'

type T = (key: string, named?: Record<string, unknown>) => string

/** A date and time in the UI language, to the minute. */
export function fmtTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  })
}

/** A category's name in the UI language. */
export function catName(c: Pick<CategoryRef, 'name' | 'name_en'> | null | undefined, locale: string): string {
  if (!c) return ''
  return locale === 'en' && c.name_en ? c.name_en : c.name
}

/** An API error for a person: the translated code, then what the server said. */
export function errorText(t: T, e: unknown): string {
  const err = e as Partial<ApiError>
  if (err && typeof err.code === 'string') {
    const known = t('errors.' + err.code)
    const title = known === 'errors.' + err.code ? err.code : known
    return err.message ? `${title} — ${t('errors.serverSays', { message: err.message })}` : title
  }
  return String(e)
}

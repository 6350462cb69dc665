// Display helpers shared by the screens.
import type { CategoryRef } from '../api'

/** A message lookup: vue-i18n's `t`, or core/logic/testing.ts's `tOf` in the logic tests. */
export type T = (key: string, named?: Record<string, unknown>) => string

const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** China Standard Time, UTC+8 all year: deadlines and notices show their moments in it. */
const CST = 8 * HOUR

/** A date and time in the UI language, to the minute, in China time whatever the browser's zone. */
export function fmtTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai',
  })
}

/** An RFC 3339 moment as China wall time, `YYYY-MM-DD HH:MM`. */
export function chinaMinute(iso: string): string {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : new Date(ms + CST).toISOString().slice(0, 16).replace('T', ' ')
}

/** A category's name in the UI language. */
export function catName(c: Pick<CategoryRef, 'name' | 'name_en'> | null | undefined, locale: string): string {
  if (!c) return ''
  return locale === 'en' && c.name_en ? c.name_en : c.name
}

const unitText = (t: T, n: number, one: string, many: string) => t(n === 1 ? one : many, { n })

/**
 * A span of time in days and hours, hours and minutes, or minutes — two units at most, rounded
 * down to the minute (a deadline never looks further off than it is): 2天3小时, 5小时20分钟, 8分钟;
 * 2 days 3 hours, 1 hour, 8 minutes. Under a minute: 不到1分钟 / under a minute.
 */
export function formatSpan(ms: number, t: T): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE)
  if (minutes < 1) return t('dur.underMinute')
  const d = Math.floor(minutes / (24 * 60))
  const h = Math.floor((minutes % (24 * 60)) / 60)
  const m = minutes % 60
  const day = () => unitText(t, d, 'dur.day', 'dur.days')
  const hour = () => unitText(t, h, 'dur.hour', 'dur.hours')
  const min = () => unitText(t, m, 'dur.minute', 'dur.minutes')
  if (d > 0) return h > 0 ? t('dur.pair', { a: day(), b: hour() }) : day()
  if (h > 0) return m > 0 ? t('dur.pair', { a: hour(), b: min() }) : hour()
  return min()
}

/** The parts of a moment in China time. */
function cstParts(ms: number) {
  const d = new Date(ms + CST)
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes(), mon: d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' }) }
}
const pad = (n: number) => String(n).padStart(2, '0')

/**
 * A moment in China time, to the minute: 11月28日 17:30 (28 Nov 17:30); with the year when it
 * is not the year of `now` (or `withYear`): 2027年1月5日 09:00 (5 Jan 2027 09:00).
 */
export function fmtMoment(iso: string, t: T, now: Date = new Date(), withYear = false): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  const p = cstParts(ms)
  const named = { y: p.y, m: p.m, d: p.d, mon: p.mon, time: `${pad(p.hh)}:${pad(p.mm)}` }
  return t(!withYear && p.y === cstParts(now.getTime()).y ? 'time.md' : 'time.ymd', named)
}

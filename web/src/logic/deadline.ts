// Time limits (时限) on screen: how long is left or how long overdue, the due moment in China
// time, the red/yellow card, and what a limit reads like. Every text comes from the messages
// (`dur.*`, `deadline.*`, `time.*`) through `t`, so the same code speaks Chinese and English.
import type { Card, StepDeadline, TimeLimit } from '../api'

export type T = (key: string, named?: Record<string, unknown>) => string

const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** China Standard Time, UTC+8 all year: the time limits are counted in it. */
const CST = 8 * HOUR

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

/** Where a deadline stands at `now`: time left (ms > 0) or overdue by (ms ≥ 0), paused or running. */
export interface DeadlineState {
  overdue: boolean
  /** Time left, or time past the due moment when overdue. */
  ms: number
  paused: boolean
  card: Card | null
}

/**
 * The state of a deadline at `now`. A suspended case's clock stands at `paused_at`, so what is
 * left is counted from there. The card is the server's, raised when the clock has since passed
 * the warning or due moment (a page left open keeps turning yellow, then red).
 */
export function deadlineState(d: StepDeadline, now: Date, serverCard: Card | null = null): DeadlineState {
  const paused = !!d.paused_at
  const at = paused ? Date.parse(d.paused_at as string) : now.getTime()
  const due = Date.parse(d.due)
  const warn = Date.parse(d.warn)
  let card: Card | null = at >= due ? 'red' : at >= warn ? 'yellow' : null
  if (serverCard === 'red' || (serverCard === 'yellow' && card === null)) card = serverCard
  const overdue = card === 'red'
  return { overdue, ms: overdue ? Math.max(0, at - due) : Math.max(0, due - at), paused, card }
}

/** The card of a case at `now`: its deadline's (see `deadlineState`), else the server's. */
export function liveCard(c: { deadline?: StepDeadline | null; card?: Card | null }, now: Date): Card | null {
  return c.deadline ? deadlineState(c.deadline, now, c.card ?? null).card : c.card ?? null
}

/** "剩余 2天3小时" or "已超期 5小时" (`deadline.left` / `deadline.overdueBy`). */
export function remainingText(s: DeadlineState, t: T): string {
  return t(s.overdue ? 'deadline.overdueBy' : 'deadline.left', { span: formatSpan(s.ms, t) })
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

/** 5个工作日, 16个工作小时, 2小时 — 5 working days, 1 working hour, 2 hours. */
export function limitText(l: TimeLimit, t: T): string {
  const unit = l.unit === 'natural_hours' ? 'hours' : l.unit
  return t(`deadline.unit.${unit}${l.amount === 1 ? '1' : ''}`, { n: l.amount })
}

/** "处置时限：11月28日 17:30" — the step's name and its due moment. */
export function dueLine(d: Pick<StepDeadline, 'step' | 'due'>, t: T, now: Date = new Date()): string {
  return t('deadline.line', { step: t('deadline.step.' + d.step), time: fmtMoment(d.due, t, now) })
}

/** "处置时限至 11月28日 17:30" — a deadline an event set or moved, for the timeline. */
export function dueUntil(d: Pick<StepDeadline, 'step' | 'due'>, t: T, now: Date = new Date()): string {
  return t('deadline.until', { step: t('deadline.step.' + d.step), time: fmtMoment(d.due, t, now) })
}

/** The tooltip of a card mark: the due line and what is left or how late. */
export function cardTitle(d: StepDeadline, s: DeadlineState, t: T, now: Date = new Date()): string {
  return `${dueLine(d, t, now)} · ${remainingText(s, t)}`
}

// Time limits (时限) on screen: how long is left or how long overdue, the due moment in China
// time, the red/yellow card, and what a limit reads like. Every text comes from the messages
// (`deadline.*`, and core's `dur.*`, `time.*`) through `t`, so the same code speaks Chinese and
// English.
import { fmtMoment, formatSpan, type T } from '@/core/logic/format'
import type { Card, StepDeadline, TimeLimit } from '../api'

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

/** A list row's time limit: the due moment, what is left or how late, and its tone. */
export interface DeadlineCell {
  /** 11月28日 17:30 */
  due: string
  /** 剩余 3小时20分钟 / 已超期 2天, with 暂停 while the clock stands. */
  left: string
  /** The whole line, for a tooltip: 处置时限：11月28日 17:30 · 剩余 3小时20分钟. */
  title: string
  /** ok, yellow (warned), red (overdue) or paused (grey). */
  tone: 'ok' | Card | 'paused'
}

/** The time limit of a case in a list (the workbench's 时限 column), at `now`. */
export function deadlineCell(d: StepDeadline, serverCard: Card | null, t: T, now: Date = new Date()): DeadlineCell {
  const s = deadlineState(d, now, serverCard)
  const left = remainingText(s, t)
  return {
    due: fmtMoment(d.due, t, now),
    left: s.paused ? `${left} · ${t('deadline.pausedShort')}` : left,
    title: s.paused ? `${cardTitle(d, s, t, now)} · ${t('deadline.paused')}` : cardTitle(d, s, t, now),
    tone: s.paused ? 'paused' : s.card ?? 'ok',
  }
}

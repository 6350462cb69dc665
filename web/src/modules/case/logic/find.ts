// Finding a case (查找): the workbench's one search box (工单编号 / 来电号码 / 网格编码 / 关键词)
// — what it sends as `q`, when a tracking code opens its case at once, the counts of an answer
// the server gave by code — and the links of the caller's other cases.
import type { LocationQuery, RouteLocationRaw } from 'vue-router'
import type { CardCounts } from '@/modules/timelimit/api'
import { liveCard } from '@/modules/timelimit/logic/deadline'
import type { CaseView, Counts } from '../api'
import { normaliseCode } from './receipts'

/** The server takes 1 to 100 characters (422 on `q` past that). */
export const Q_MAX = 100

/** A tracking code: the 8-digit date and at least 6 digits (14 to 20 digits, as the server reads it). */
export const isTrackingCode = (q: string): boolean => /^\d{14,20}$/.test(q)

/**
 * What a search box sends: trimmed, at most 100 characters, and a code typed in groups or in
 * full-width digits ("2026 1123 000401") as its digits. A phone keeps its spelling — the server
 * reads `+86 138 0013 8000` and `138-0013-8000` alike — and no phone has 14 digits.
 */
export function searchText(raw: string): string {
  const q = raw.trim()
  if (/^[\d\uFF10-\uFF19\s-]+$/.test(q)) {
    const digits = normaliseCode(q)
    if (isTrackingCode(digits)) return digits
  }
  return Array.from(q).slice(0, Q_MAX).join('').trim()
}

/** The search of the address (`?q=`), as the box sends it. */
export const searchOf = (q: unknown): string => (typeof q === 'string' ? searchText(q) : '')

/** The case a search opens at once: a tracking code whose one answer is that case. */
export function caseToOpen(q: string, items: readonly CaseView[]): CaseView | null {
  return isTrackingCode(q) && items.length === 1 && items[0].code === q ? items[0] : null
}

/**
 * True when the server answered the tracking code itself: its case, or nothing (15 digits no case
 * has are read as a grid's code, whose cases the counts do narrow to). The counts endpoints do not
 * look a code up, so such an answer is counted from its rows (`countsOf`).
 */
export function answeredByCode(q: string, items: readonly CaseView[]): boolean {
  return isTrackingCode(q) && (q.length !== 15 || caseToOpen(q, items) !== null)
}

/** The counts per state and per card of the cases at hand. */
export function countsOf(items: readonly CaseView[], now: Date): { counts: Counts; cards: CardCounts } {
  const counts: Counts = { by_state: {}, total: items.length }
  const cards: CardCounts = { red: 0, yellow: 0 }
  for (const c of items) {
    counts.by_state[c.state] = (counts.by_state[c.state] ?? 0) + 1
    const card = liveCard(c, now)
    if (card) cards[card]++
  }
  return { counts, cards }
}

/**
 * Where a case of the caller's opens: in the workbench's detail. From the workbench, its queue
 * (filters, search) stays as it is; from another screen, `/workbench?case=<id>`.
 */
export function workbenchCase(id: string, here?: { path: string; query: LocationQuery }): RouteLocationRaw {
  return { path: '/workbench', query: here?.path === '/workbench' ? { ...here.query, case: id } : { case: id } }
}

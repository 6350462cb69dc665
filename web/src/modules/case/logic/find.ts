// Finding a case (查找): the workbench's one search box (工单编号 / 来电号码 / 网格编码 / 关键词)
// — what it sends as `q` (to the list and to the counts alike: the server counts a tracking code's
// one case, or none, as the list answers it), when a tracking code opens its case at once — and
// the links of the caller's other cases.
import type { LocationQuery, RouteLocationRaw } from 'vue-router'
import type { CaseView } from '../api'
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
 * Where a case of the caller's opens: in the workbench's detail. From the workbench, its queue
 * (filters, search) stays as it is; from another screen, `/workbench?case=<id>`.
 */
export function workbenchCase(id: string, here?: { path: string; query: LocationQuery }): RouteLocationRaw {
  return { path: '/workbench', query: here?.path === '/workbench' ? { ...here.query, case: id } : { case: id } }
}

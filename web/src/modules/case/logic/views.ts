// 快捷视图: the saved views above the workbench's queue. A dispatcher's are what waits for its
// centre — 待我审批 (anything to decide), 待核查 (handled cases to verify), 待审延期, 退回待审 — and
// 督办中; a department handler's are 待签收 and 处置中. A view is a set of the queue's address
// filters (logic/queue.ts); choosing it sets the queue to exactly that, and it shows as chosen
// while the queue shows exactly that. Its count is of all the reader's cases (no other filter),
// as the queue shows them once the view is chosen, and as the menu's badge counts them.
import type { Role } from '@/core/api'
import type { AwaitingCounts, CaseFilter, Counts } from '../api'
import { sameUrlFilters, urlQuery, type UrlFilters } from './queue'
import type { LocationQueryRaw } from 'vue-router'

export type ViewKey = 'pending' | 'verify' | 'extension' | 'review' | 'supervised' | 'to_claim' | 'handling'

/** The filters of each view: only these set, every other filter cleared. */
export const VIEW_FILTERS: Readonly<Record<ViewKey, Pick<CaseFilter, 'state' | 'awaiting' | 'supervised'>>> = {
  pending: { awaiting: 'any' },
  verify: { state: ['handled'] },
  extension: { awaiting: 'extension' },
  review: { awaiting: 'review' },
  supervised: { supervised: true },
  to_claim: { state: ['dispatched'] },
  handling: { state: ['in_progress'] },
}

/** The views of those who decide for a centre (the three dispatcher levels and the admin). */
export const DISPATCHER_VIEWS: readonly ViewKey[] = ['pending', 'verify', 'extension', 'review', 'supervised']
/** The views of a department's handler: what to sign for, what is being handled. */
export const HANDLER_VIEWS: readonly ViewKey[] = ['to_claim', 'handling']

const VIEWS_OF_ROLE: Readonly<Partial<Record<Role, readonly ViewKey[]>>> = {
  community_admin: DISPATCHER_VIEWS,
  town_dispatcher: DISPATCHER_VIEWS,
  district_dispatcher: DISPATCHER_VIEWS,
  admin: DISPATCHER_VIEWS,
  department_handler: HANDLER_VIEWS,
}

/** The views a role is offered, in order (none for the others). */
export const viewsOf = (role: Role | null | undefined): readonly ViewKey[] => (role && VIEWS_OF_ROLE[role]) || []

/** True if the role decides for a centre: its menu shows what waits for it (`/counts/awaiting`'s total). */
export const decidesFor = (role: Role | null | undefined): boolean => viewsOf(role).includes('pending')

/** The queue's address filters of a view: the view's, every other one empty. */
export function viewFilters(key: ViewKey): UrlFilters {
  const v = VIEW_FILTERS[key]
  return { q: '', state: [...(v.state ?? [])], supervised: !!v.supervised, awaiting: v.awaiting ?? '', card: '' }
}

/** A view's address query (`?awaiting=review`, `?state=handled`, `?supervised=true`…). */
export const viewQuery = (key: ViewKey): LocationQueryRaw => {
  const q = urlQuery(viewFilters(key))
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined))
}

/**
 * The view the queue shows exactly, if any: its address filters are the view's and no other
 * filter is set (`others`: a category, an area, a channel, a time range or a grid).
 */
export function activeView(views: readonly ViewKey[], f: UrlFilters, others: boolean): ViewKey | null {
  if (others) return null
  return views.find((k) => sameUrlFilters(viewFilters(k), f)) ?? null
}

/** What the views' counts are read from (each null until the server answered it). */
export interface ViewCountSources {
  /** `GET /cases/counts/awaiting`, unfiltered. */
  awaiting: AwaitingCounts | null
  /** `GET /cases/counts`, unfiltered (the handler's per-state views). */
  counts: Counts | null
  /** `GET /cases/counts?supervised=true`'s total. */
  supervised: number | null
}

/** A view's count, or null when it has none to show (yet). */
export function viewCount(key: ViewKey, c: ViewCountSources): number | null {
  switch (key) {
    case 'pending':
      return c.awaiting?.total ?? null
    case 'verify':
      return c.awaiting?.verify ?? null
    case 'extension':
      return c.awaiting?.extension ?? null
    case 'review':
      return c.awaiting?.review ?? null
    case 'supervised':
      return c.supervised
    case 'to_claim':
      return c.counts ? (c.counts.by_state.dispatched ?? 0) : null
    case 'handling':
      return c.counts ? (c.counts.by_state.in_progress ?? 0) : null
  }
}

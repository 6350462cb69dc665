// The workbench queue's filters that live in the address, so that a view, a search or a link (the
// map's grid, the command centre's cards) can be shared and survives a reload: `q`, `state`
// (`a,b`), `supervised`, `awaiting` and `card`. The other filters (category, area, channel, time)
// stay on the page.
import type { LocationQueryRaw } from 'vue-router'
import type { Card } from '@/modules/timelimit/api'
import { AWAITING, STATES, type AwaitingFilter, type CaseState } from '../api'
import { searchOf } from './find'

export interface UrlFilters {
  q: string
  state: CaseState[]
  supervised: boolean
  awaiting: AwaitingFilter | ''
  card: Card | ''
}

export const URL_FILTERS = ['q', 'state', 'supervised', 'awaiting', 'card'] as const

const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '')

/** States named in the address (`?state=a,b`), e.g. when the map sends a grid's cases here; unknown ones are dropped. */
export function statesOf(q: unknown): CaseState[] {
  const s = one(q)
  return s ? (s.split(',').filter((x, i, all) => (STATES as string[]).includes(x) && all.indexOf(x) === i) as CaseState[]) : []
}
/** A card named in the address (`?card=red`), e.g. from the command centre's figures. */
export const cardOf = (q: unknown): Card | '' => {
  const s = one(q)
  return s === 'red' || s === 'yellow' ? s : ''
}
/** What waits for the centre (`?awaiting=any|review|extension|suspension`). */
export const awaitingOf = (q: unknown): AwaitingFilter | '' => {
  const s = one(q)
  return s === 'any' || (AWAITING as string[]).includes(s) ? (s as AwaitingFilter) : ''
}
/** `?supervised=true` (anything else is no filter). */
export const supervisedOf = (q: unknown): boolean => one(q) === 'true'

/** The filters an address gives. */
export function urlFilters(query: LocationQueryRaw): UrlFilters {
  return {
    q: searchOf(one(query.q)),
    state: statesOf(query.state),
    supervised: supervisedOf(query.supervised),
    awaiting: awaitingOf(query.awaiting),
    card: cardOf(query.card),
  }
}

/** The address's query of the filters: only those set (the others `undefined`, to be dropped). */
export function urlQuery(f: UrlFilters): LocationQueryRaw {
  return {
    q: f.q || undefined,
    state: f.state.length ? f.state.join(',') : undefined,
    supervised: f.supervised ? 'true' : undefined,
    awaiting: f.awaiting || undefined,
    card: f.card || undefined,
  }
}

/** True if two lists name the same states, in any order. */
export const sameStates = (a: readonly CaseState[], b: readonly CaseState[]): boolean => [...a].sort().join(',') === [...b].sort().join(',')

/** True if two sets of filters ask the same (states in any order). */
export function sameUrlFilters(a: UrlFilters, b: UrlFilters): boolean {
  return a.q === b.q && sameStates(a.state, b.state) && a.supervised === b.supervised && a.awaiting === b.awaiting && a.card === b.card
}

/** The address with its filters replaced by `f` (the selected case, the grid and anything else kept). */
export function withUrlFilters(query: LocationQueryRaw, f: UrlFilters): LocationQueryRaw {
  const out: LocationQueryRaw = { ...query }
  for (const k of URL_FILTERS) delete out[k]
  for (const [k, v] of Object.entries(urlQuery(f))) if (v !== undefined) out[k] = v
  return out
}

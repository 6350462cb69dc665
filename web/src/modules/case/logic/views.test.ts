import { describe, expect, it } from 'vitest'
import type { Role } from '@/core/api'
import { filterQuery } from '../api'
import { urlFilters, type UrlFilters } from './queue'
import { DISPATCHER_VIEWS, HANDLER_VIEWS, VIEW_FILTERS, activeView, decidesFor, viewCount, viewFilters, viewQuery, viewsOf, type ViewKey } from './views'

const none: UrlFilters = { q: '', state: [], supervised: false, awaiting: '', card: '' }

describe('quick views', () => {
  it('map each view to its filters and its address', () => {
    const queries: Record<ViewKey, Record<string, string>> = {
      pending: { awaiting: 'any' },
      verify: { state: 'handled' },
      extension: { awaiting: 'extension' },
      review: { awaiting: 'review' },
      supervised: { supervised: 'true' },
      to_claim: { state: 'dispatched' },
      handling: { state: 'in_progress' },
    }
    for (const [k, q] of Object.entries(queries) as [ViewKey, Record<string, string>][]) {
      expect(viewQuery(k), k).toEqual(q)
      // the address gives the view back, and the API is asked the same
      expect(urlFilters(viewQuery(k) as Record<string, string>), k).toEqual(viewFilters(k))
    }
    expect(filterQuery(VIEW_FILTERS.review)).toBe('?awaiting=review')
    expect(filterQuery(VIEW_FILTERS.pending)).toBe('?awaiting=any')
    expect(filterQuery(VIEW_FILTERS.verify)).toBe('?state=handled')
    expect(filterQuery(VIEW_FILTERS.supervised)).toBe('?supervised=true')
    // a view is exactly its filters: the search and the card cleared
    expect(viewFilters('extension')).toEqual({ ...none, awaiting: 'extension' })
  })

  it('are offered by role: the deciders their approvals, a handler its work, the others none', () => {
    const dispatchers: Role[] = ['community_admin', 'town_dispatcher', 'district_dispatcher', 'admin']
    for (const r of dispatchers) {
      expect(viewsOf(r), r).toEqual(['pending', 'verify', 'extension', 'review', 'supervised'])
      expect(decidesFor(r), r).toBe(true)
    }
    expect(viewsOf('department_handler')).toEqual(['to_claim', 'handling'])
    expect(decidesFor('department_handler')).toBe(false)
    for (const r of ['leader', 'mediator', 'grid_worker', 'resident'] as Role[]) {
      expect(viewsOf(r), r).toEqual([])
      expect(decidesFor(r), r).toBe(false)
    }
    expect(viewsOf(null)).toEqual([])
    expect(decidesFor(undefined)).toBe(false)
  })

  it('show as chosen only while the queue shows exactly them', () => {
    expect(activeView(DISPATCHER_VIEWS, { ...none, awaiting: 'review' }, false)).toBe('review')
    expect(activeView(DISPATCHER_VIEWS, { ...none, state: ['handled'] }, false)).toBe('verify')
    expect(activeView(DISPATCHER_VIEWS, { ...none, supervised: true }, false)).toBe('supervised')
    expect(activeView(DISPATCHER_VIEWS, { ...none, awaiting: 'any' }, false)).toBe('pending')
    // another filter besides: not the view
    expect(activeView(DISPATCHER_VIEWS, { ...none, awaiting: 'review', q: '路灯' }, false)).toBeNull()
    expect(activeView(DISPATCHER_VIEWS, { ...none, awaiting: 'review', card: 'red' }, false)).toBeNull()
    expect(activeView(DISPATCHER_VIEWS, { ...none, state: ['handled', 'closed'] }, false)).toBeNull()
    expect(activeView(DISPATCHER_VIEWS, { ...none, awaiting: 'review' }, true)).toBeNull()
    expect(activeView(DISPATCHER_VIEWS, { ...none, awaiting: 'suspension' }, false)).toBeNull()
    expect(activeView(DISPATCHER_VIEWS, none, false)).toBeNull()
    // a handler's views are not a dispatcher's
    expect(activeView(HANDLER_VIEWS, { ...none, state: ['dispatched'] }, false)).toBe('to_claim')
    expect(activeView(DISPATCHER_VIEWS, { ...none, state: ['dispatched'] }, false)).toBeNull()
  })

  it('count from /counts/awaiting, the supervised count and the counts per state', () => {
    const c = { awaiting: { review: 2, extension: 1, suspension: 4, verify: 3, total: 10 }, counts: { by_state: { dispatched: 5 }, total: 5 }, supervised: 7 }
    expect(DISPATCHER_VIEWS.map((k) => viewCount(k, c))).toEqual([10, 3, 1, 2, 7])
    expect(HANDLER_VIEWS.map((k) => viewCount(k, c))).toEqual([5, 0])
    const unknown = { awaiting: null, counts: null, supervised: null }
    expect([...DISPATCHER_VIEWS, ...HANDLER_VIEWS].map((k) => viewCount(k, unknown)).every((n) => n === null)).toBe(true)
  })
})

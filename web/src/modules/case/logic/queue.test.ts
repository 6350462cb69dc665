import { describe, expect, it } from 'vitest'
import { sameUrlFilters, urlFilters, urlQuery, withUrlFilters, type UrlFilters } from './queue'

const none: UrlFilters = { q: '', state: [], supervised: false, awaiting: '', card: '' }

describe("the queue's filters in the address", () => {
  it('go there and back, awaiting among them', () => {
    const f: UrlFilters = { q: '路灯', state: ['returned', 'handled'], supervised: true, awaiting: 'review', card: 'red' }
    const q = urlQuery(f)
    expect(q).toEqual({ q: '路灯', state: 'returned,handled', supervised: 'true', awaiting: 'review', card: 'red' })
    expect(urlFilters(q)).toEqual(f)
    for (const a of ['any', 'review', 'extension', 'suspension'] as const) expect(urlFilters(urlQuery({ ...none, awaiting: a })).awaiting).toBe(a)
    // nothing set: nothing in the address
    expect(Object.values(urlQuery(none)).every((v) => v === undefined)).toBe(true)
  })

  it('drop what they do not know', () => {
    expect(urlFilters({ awaiting: 'everything', state: 'nope', supervised: 'yes', card: 'blue', q: '  ' })).toEqual(none)
    expect(urlFilters({ state: 'handled,nope,handled' }).state).toEqual(['handled'])
    expect(urlFilters({ awaiting: ['extension', 'review'] }).awaiting).toBe('extension')
    expect(urlFilters({ q: '2026 1123 000042' }).q).toBe('20261123000042')
  })

  it('replace only their own part of the address', () => {
    const query = { case: 'c1', grid: '371002001001001', q: 'old', awaiting: 'any', card: 'red' }
    expect(withUrlFilters(query, { ...none, awaiting: 'review' })).toEqual({ case: 'c1', grid: '371002001001001', awaiting: 'review' })
    expect(withUrlFilters(query, none)).toEqual({ case: 'c1', grid: '371002001001001' })
  })

  it('compare states in any order', () => {
    expect(sameUrlFilters({ ...none, state: ['handled', 'returned'] }, { ...none, state: ['returned', 'handled'] })).toBe(true)
    expect(sameUrlFilters({ ...none, awaiting: 'review' }, { ...none, awaiting: 'any' })).toBe(false)
  })
})

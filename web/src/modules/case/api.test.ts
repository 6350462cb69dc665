import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { allCases, fullPage } from './api'

// A server whose walk stops early: each request answers at most two of the cases below the
// cursor, some pages none, and a cursor while any are left.
const ids = ['c9', 'c8', 'c7', 'c6', 'c5', 'c4', 'c3']
let requests: URL[]

beforeEach(() => {
  requests = []
  vi.stubGlobal('fetch', (url: string) => {
    const u = new URL(url, 'http://x')
    requests.push(u)
    const after = u.searchParams.get('cursor')
    const below = ids.filter((id) => !after || id < after)
    const short = requests.length % 2 === 0 ? [] : below.slice(0, Math.min(2, Number(u.searchParams.get('limit'))))
    // An empty page has examined nothing for sure: its cursor is where it started.
    const last = short.length ? short[short.length - 1] : (after ?? 'z')
    const next = below.length > short.length ? last : null
    return Promise.resolve(new Response(JSON.stringify({ items: short.map((id) => ({ id })), next_cursor: next })))
  })
})
afterEach(() => vi.unstubAllGlobals())

describe('lists whose pages come back short', () => {
  it('fullPage follows the cursor until the page is full', async () => {
    const page = await fullPage({}, undefined, 5)
    expect(page.items.map((c) => c.id)).toEqual(['c9', 'c8', 'c7', 'c6', 'c5'])
    expect(page.next_cursor).toBe('c5')
  })

  it('fullPage stops after its hops and hands back the cursor', async () => {
    const page = await fullPage({}, undefined, 5, 1)
    expect(page.items.map((c) => c.id)).toEqual(['c9', 'c8'])
    expect(page.next_cursor).not.toBeNull()
    expect(requests).toHaveLength(2)
  })

  it('allCases goes past an empty page that still has a cursor', async () => {
    const all = await allCases({}, 100)
    expect(all.map((c) => c.id)).toEqual(ids)
  })
})

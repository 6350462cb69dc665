import { describe, expect, it, vi } from 'vitest'
import { caseApi, filterQuery, type CaseView } from '../api'
import { Q_MAX, caseToOpen, isTrackingCode, searchOf, searchText, workbenchCase } from './find'

const row = (code: string, over: Partial<CaseView> = {}) => ({ id: 'id-' + code, code, state: 'dispatched', card: null, deadline: null, ...over }) as CaseView

describe('the search box', () => {
  it('sends what was typed, trimmed, a code typed in groups as its digits', () => {
    expect(searchText('  路灯不亮 ')).toBe('路灯不亮')
    expect(searchText(' 2026 1123 000401 ')).toBe('20261123000401')
    expect(searchText('２０２６１１２３０００４０１')).toBe('20261123000401')
    // phones keep their spelling: the server reads them however written
    expect(searchText('+86 138 0013 8000')).toBe('+86 138 0013 8000')
    expect(searchText('138-0013-8000')).toBe('138-0013-8000')
    expect(searchText('371002001001002')).toBe('371002001001002')
    expect(searchText('   ')).toBe('')
    expect(Array.from(searchText('路'.repeat(150)))).toHaveLength(Q_MAX)
    expect(searchOf('  垃圾 ')).toBe('垃圾')
    expect(searchOf(['a'])).toBe('')
    expect(searchOf(undefined)).toBe('')
  })
  it('tells a tracking code (14 to 20 digits)', () => {
    expect(isTrackingCode('20261123000401')).toBe(true)
    expect(isTrackingCode('371002001001002')).toBe(true)
    expect(isTrackingCode('13800138000')).toBe(false)
    expect(isTrackingCode('2026112300040 1')).toBe(false)
    expect(isTrackingCode('1'.repeat(21))).toBe(false)
  })
  it('goes to the list and the counts as q, with the other filters', () => {
    expect(filterQuery({ q: '138-0013-8000', state: ['reported'] }, { limit: 50 })).toBe('?q=138-0013-8000&state=reported&limit=50')
    expect(filterQuery({ q: '  ' })).toBe('')
    expect(filterQuery({ q: '垃圾 3号楼' })).toBe('?q=%E5%9E%83%E5%9C%BE+3%E5%8F%B7%E6%A5%BC')
  })
  it('asks the server with q', async () => {
    const urls: string[] = []
    vi.stubGlobal('fetch', (url: string) => {
      urls.push(url)
      return Promise.resolve(new Response(JSON.stringify({ items: [], next_cursor: null, by_state: {}, total: 0, red: 0, yellow: 0 })))
    })
    try {
      await caseApi.cases({ q: '20261123000401' })
      await caseApi.counts({ q: '路灯', state: ['reported'] })
      await caseApi.cardCounts({ q: '路灯', card: 'red' })
      await caseApi.sameCaller('c 1')
    } finally {
      vi.unstubAllGlobals()
    }
    expect(urls).toEqual([
      '/api/v1/cases?q=20261123000401&limit=50',
      '/api/v1/cases/counts?q=%E8%B7%AF%E7%81%AF',
      '/api/v1/cases/counts/cards?q=%E8%B7%AF%E7%81%AF',
      '/api/v1/cases/c%201/same-caller',
    ])
  })
})

describe('one code opens its case', () => {
  it('opens the one case a tracking code answers', () => {
    const one = row('20261123000401')
    expect(caseToOpen('20261123000401', [one])).toBe(one)
    expect(caseToOpen('20261123000401', [])).toBeNull()
    expect(caseToOpen('20261123000401', [one, row('20261123000402')])).toBeNull()
    // 15 digits no case has are a grid's code: its one case is not the one asked for
    expect(caseToOpen('371002001001002', [row('20261123000401')])).toBeNull()
    // not a code: a phone or a keyword with one answer stays in the list
    expect(caseToOpen('13800138000', [one])).toBeNull()
    expect(caseToOpen('', [one])).toBeNull()
  })
})

describe("the caller's other cases", () => {
  it('open in the workbench, keeping its queue when already there', () => {
    expect(workbenchCase('c2')).toEqual({ path: '/workbench', query: { case: 'c2' } })
    expect(workbenchCase('c2', { path: '/worker', query: { case: 'c1' } })).toEqual({ path: '/workbench', query: { case: 'c2' } })
    expect(workbenchCase('c2', { path: '/workbench', query: { q: '13800138000', state: 'reported', case: 'c1' } })).toEqual({
      path: '/workbench',
      query: { q: '13800138000', state: 'reported', case: 'c2' },
    })
  })
})

describe('exportUrl', () => {
  it('exports the queue with its filters', () => {
    expect(caseApi.exportUrl({ q: '路灯', state: ['reported'] })).toBe('/api/v1/cases/export.xlsx?q=%E8%B7%AF%E7%81%AF&state=reported')
  })
})

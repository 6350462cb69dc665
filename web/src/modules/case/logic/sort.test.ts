import { describe, expect, it } from 'vitest'
import type { CaseView } from '../api'
import { sortCases } from './sort'

const row = (code: string, over: Partial<CaseView>): CaseView =>
  ({ id: code, code, title: '', category: { code: '0102', name: '', name_en: '' }, state: 'reported', area: [], created_at: '2026-12-01T00:00:00Z', deadline: null, ...over }) as unknown as CaseView

const dl = (due: string) => ({ step: 'handle', started: due, warn: due, due, limit: {}, weekends_only: false, paused_at: null }) as unknown as CaseView['deadline']

describe('sortCases', () => {
  const rows = [
    row('3', { state: 'dispatched', deadline: dl('2026-12-05T02:00:00Z'), title: '路灯不亮' }),
    row('1', { state: 'reported', deadline: null, title: '噪音扰民' }),
    row('2', { state: 'accepted', deadline: dl('2026-12-03T02:00:00Z'), title: '暴露垃圾' }),
  ]

  it('by the running deadline, the soonest first, cases without one last either way', () => {
    expect(sortCases(rows, { key: 'deadline', order: 'ascending' }).map((c) => c.code)).toEqual(['2', '3', '1'])
    expect(sortCases(rows, { key: 'deadline', order: 'descending' }).map((c) => c.code)).toEqual(['3', '2', '1'])
  })

  it('by state in the order of the life cycle', () => {
    expect(sortCases(rows, { key: 'state', order: 'ascending' }).map((c) => c.state)).toEqual(['reported', 'accepted', 'dispatched'])
  })

  it('text in Chinese collation, ties in the order the server gave, nothing changed in place', () => {
    const sorted = sortCases(rows, { key: 'title', order: 'ascending' })
    expect(sorted).toHaveLength(3)
    expect(rows.map((c) => c.code)).toEqual(['3', '1', '2'])
    const cat = (code: string) => ({ code, name: '', name_en: '' })
    const same = [row('a', { category: cat('0102') }), row('b', { category: cat('0102') }), row('c', { category: cat('0101') })]
    expect(sortCases(same, { key: 'category', order: 'descending' }).map((c) => c.code)).toEqual(['a', 'b', 'c'])
    expect(sortCases(rows, null).map((c) => c.code)).toEqual(['3', '1', '2'])
  })
})

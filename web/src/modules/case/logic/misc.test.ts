import { beforeEach, describe, expect, it } from 'vitest'
import { filterQuery } from '../api'
import { normaliseCode, receiptFor, saveReport, savedReports } from './receipts'
import { timelineDetails } from './timeline'

describe('receipts', () => {
  beforeEach(() => localStorage.clear())
  it('keeps the newest reports, one per code', () => {
    saveReport({ code: '1', receipt: 'a', at: '' })
    saveReport({ code: '2', receipt: 'b', at: '' })
    saveReport({ code: '1', receipt: 'c', at: '' })
    expect(savedReports().map((r) => r.code)).toEqual(['1', '2'])
    expect(receiptFor('1')).toBe('c')
    expect(receiptFor('9')).toBe('')
  })
  it('survives garbage in storage', () => {
    localStorage.setItem('cg.reports', '{nope')
    expect(savedReports()).toEqual([])
  })
  it('normalises typed codes', () => {
    expect(normaliseCode(' 2026 1123 000401 ')).toBe('20261123000401')
    expect(normaliseCode('２０２６１１２３')).toBe('20261123')
  })
})

describe('timeline details', () => {
  it('shows the texts and decisions of an event', () => {
    const d = timelineDetails({ seq: 3, at: '', actor: { kind: 'user', name: 'x' }, type: 'dispatched', data: { instructions: '今天', to: { kind: 'department', id: 'wh-urban' } } })
    expect(d.map((x) => [x.key, x.value])).toEqual([['instructions', '今天'], ['to', 'wh-urban']])
    const v = timelineDetails({ seq: 6, at: '', actor: { kind: 'user', name: 'x' }, type: 'verified', data: { passed: false, comment: '没修好' } })
    expect(v.find((x) => x.key === 'passed')).toMatchObject({ value: 'common.no', translate: true })
  })
})

describe('the case filter in the address', () => {
  it('builds query strings with only the set filters', () => {
    expect(filterQuery({})).toBe('')
    expect(filterQuery({ state: ['reported', 'accepted'], supervised: true }, { limit: 50, cursor: undefined })).toBe('?state=reported%2Caccepted&supervised=true&limit=50')
    expect(filterQuery({ q: '路灯', awaiting: 'extension' })).toBe('?q=%E8%B7%AF%E7%81%AF&awaiting=extension')
  })
})

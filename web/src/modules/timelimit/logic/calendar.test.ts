import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/core/http'
import { timelimitApi } from '../api'
import { chinaMoment, chinaNow, csvFields, csvPlace, csvProblem, lineOf } from './calendar'

describe('calendar files', () => {
  it('refuses what is no CSV, empty or too large', () => {
    expect(csvProblem({ name: '2027.csv', size: 300, type: 'text/csv' })).toBeNull()
    expect(csvProblem({ name: '2027.CSV', size: 300, type: '' })).toBeNull()
    expect(csvProblem({ name: '2027.csv', size: 300, type: 'application/vnd.ms-excel' })).toBeNull()
    expect(csvProblem({ name: '2027.xlsx', size: 300, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })).toBe('notCsv')
    expect(csvProblem({ name: 'photo.csv', size: 300, type: 'image/png' })).toBe('notCsv')
    expect(csvProblem({ name: '2027.csv', size: 0, type: 'text/csv' })).toBe('empty')
    expect(csvProblem({ name: '2027.csv', size: 5e6, type: 'text/csv' })).toBe('tooLarge')
  })
  it("reads the server's place of an error", () => {
    expect(csvPlace('line 3, column 2 (kind)')).toEqual({ line: 3, column: 2, name: 'kind' })
    expect(csvPlace('line 12')).toEqual({ line: 12 })
    expect(csvPlace('line 4, column 1')).toEqual({ line: 4, column: 1 })
    expect(csvPlace('kind')).toBeNull()
    expect(csvPlace(null)).toBeNull()
  })
  it('finds the line in the file', () => {
    const text = '\uFEFFdate,kind,name\r\n2027-01-01,holiday,元旦\r\n2027-01-02,holliday,元旦\r\n'
    expect(lineOf(text, 1)).toBe('date,kind,name')
    expect(lineOf(text, 3)).toBe('2027-01-02,holliday,元旦')
    expect(lineOf(text, 9)).toBeNull()
    expect(lineOf(text, 0)).toBeNull()
    expect(csvFields('2027-01-02,holliday,元旦')[1]).toBe('holliday')
  })
})

describe('the deadline checker', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('sends the start as China time', () => {
    expect(chinaMoment('2025-01-24 10:00')).toBe('2025-01-24T10:00:00+08:00')
    expect(chinaMoment('2025-01-24T10:00:30')).toBe('2025-01-24T10:00:30+08:00')
    expect(chinaMoment('tomorrow')).toBeNull()
    expect(chinaNow(new Date('2025-01-24T02:05:40Z'))).toBe('2025-01-24 10:05')
  })
  it('asks the API with the + encoded and one unit', async () => {
    const urls: string[] = []
    vi.stubGlobal('fetch', (url: string) => {
      urls.push(url)
      return Promise.resolve(new Response(JSON.stringify({ start: '', deadline: '2025-02-07T10:00:00+08:00', rule: { amount: 5, unit: 'working_days' }, uncovered_years: [], weekends_only: false })))
    })
    const r = await timelimitApi.checkDeadline('2025-01-24T10:00:00+08:00', 5, 'working_days')
    expect(urls[0]).toBe('/api/v1/calendar/deadline?start=2025-01-24T10%3A00%3A00%2B08%3A00&working_days=5')
    expect(r.deadline).toBe('2025-02-07T10:00:00+08:00')
  })
  it('posts the CSV as it is and keeps the place of a refusal', async () => {
    let sent: RequestInit | undefined
    vi.stubGlobal('fetch', (_url: string, init?: RequestInit) => {
      sent = init
      return Promise.resolve(new Response(JSON.stringify({ error: { code: 'invalid_file', message: 'unknown kind `holliday`', field: 'line 3, column 2 (kind)' } }), { status: 422 }))
    })
    const csv = 'date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holliday,元旦\n'
    const err = await timelimitApi.loadCalendar(csv).catch((e) => e)
    expect(sent?.method).toBe('POST')
    expect(sent?.body).toBe(csv)
    expect((sent?.headers as Record<string, string>)['content-type']).toBe('text/csv')
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('invalid_file')
    expect(csvPlace(err.field)).toEqual({ line: 3, column: 2, name: 'kind' })
  })
})

import { describe, expect, it } from 'vitest'
import { chinaMinute, fmtMoment, fmtTime, formatSpan } from './format'
import { tOf } from './testing'

const zh = tOf('zh-CN')
const en = tOf('en')
const MIN = 60_000
const H = 60 * MIN
const D = 24 * H
const at = (s: string) => new Date(s)

describe('formatSpan', () => {
  it('gives days and hours, hours and minutes, or minutes', () => {
    expect(formatSpan(2 * D + 3 * H + 59 * MIN, zh)).toBe('2天3小时')
    expect(formatSpan(2 * D + 3 * H + 59 * MIN, en)).toBe('2 days 3 hours')
    expect(formatSpan(5 * H + 20 * MIN, zh)).toBe('5小时20分钟')
    expect(formatSpan(5 * H + 20 * MIN, en)).toBe('5 hours 20 minutes')
    expect(formatSpan(8 * MIN + 59_000, zh)).toBe('8分钟')
    expect(formatSpan(8 * MIN, en)).toBe('8 minutes')
  })
  it('drops a zero second unit and speaks singular English', () => {
    expect(formatSpan(D + 10 * MIN, zh)).toBe('1天')
    expect(formatSpan(D, en)).toBe('1 day')
    expect(formatSpan(H, en)).toBe('1 hour')
    expect(formatSpan(H + MIN, en)).toBe('1 hour 1 minute')
    expect(formatSpan(3 * D + H, en)).toBe('3 days 1 hour')
  })
  it('says under a minute, and ignores the sign', () => {
    expect(formatSpan(59_999, zh)).toBe('不到1分钟')
    expect(formatSpan(0, en)).toBe('under a minute')
    expect(formatSpan(-5 * H, zh)).toBe('5小时')
  })
})

describe('fmtMoment', () => {
  const now = at('2026-11-23T12:00:00+08:00')
  it('shows the due moment in China time, whatever the machine zone', () => {
    expect(fmtMoment('2026-11-28T09:30:00Z', zh, now)).toBe('11月28日 17:30')
    expect(fmtMoment('2026-11-28T09:30:00Z', en, now)).toBe('28 Nov 17:30')
    expect(fmtMoment('2026-12-31T16:05:00Z', zh, now)).toBe('2027年1月1日 00:05')
    expect(fmtMoment('2026-12-31T16:05:00Z', en, now)).toBe('1 Jan 2027 00:05')
    expect(fmtMoment('not a time', zh, now)).toBe('not a time')
  })
})


describe('China time', () => {
  it('shows moments in China time whatever the zone they are written in', () => {
    expect(chinaMinute('2026-12-06T16:54:00Z')).toBe('2026-12-07 00:54')
    expect(chinaMinute('2026-12-07T00:54:00+08:00')).toBe('2026-12-07 00:54')
    expect(fmtTime('2026-12-06T16:54:00Z', 'zh-CN')).toContain('00:54')
    expect(fmtTime('2026-12-06T16:54:00Z', 'zh-CN')).toContain('12/07')
  })
})

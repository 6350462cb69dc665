import { describe, expect, it } from 'vitest'
import { tOf } from '@/core/logic/testing'
import type { StepDeadline } from '../api'
import { cardTitle, deadlineCell, deadlineState, dueLine, dueUntil, limitText, liveCard, remainingText } from './deadline'

const zh = tOf('zh-CN')
const en = tOf('en')
const MIN = 60_000
const H = 60 * MIN
const D = 24 * H

const deadline = (over: Partial<StepDeadline> = {}): StepDeadline => ({
  step: 'handle',
  started: '2026-11-23T09:00:00+08:00',
  warn: '2026-11-27T17:30:00+08:00',
  due: '2026-11-28T17:30:00+08:00',
  limit: { amount: 5, unit: 'working_days' },
  weekends_only: false,
  paused_at: null,
  ...over,
})
const at = (s: string) => new Date(s)

describe('deadlineState', () => {
  it('counts what is left before the warning: no card', () => {
    const s = deadlineState(deadline(), at('2026-11-26T14:30:00+08:00'))
    expect(s).toEqual({ overdue: false, ms: 2 * D + 3 * H, paused: false, card: null })
    expect(remainingText(s, zh)).toBe('剩余 2天3小时')
    expect(remainingText(s, en)).toBe('2 days 3 hours left')
  })
  it('turns yellow at the warning and red at the due moment', () => {
    expect(deadlineState(deadline(), at('2026-11-27T17:30:00+08:00')).card).toBe('yellow')
    const red = deadlineState(deadline(), at('2026-11-28T22:45:00+08:00'))
    expect(red).toMatchObject({ overdue: true, card: 'red', ms: 5 * H + 15 * MIN })
    expect(remainingText(red, zh)).toBe('已超期 5小时15分钟')
    expect(remainingText(red, en)).toBe('overdue by 5 hours 15 minutes')
    expect(deadlineState(deadline(), at('2026-11-28T17:30:00+08:00')).card).toBe('red')
  })
  it("keeps the server's card when the local clock lags", () => {
    const s = deadlineState(deadline(), at('2026-11-28T17:29:00+08:00'), 'red')
    expect(s.card).toBe('red')
    expect(s.overdue).toBe(true)
    expect(deadlineState(deadline(), at('2026-11-26T00:00:00+08:00'), 'yellow').card).toBe('yellow')
    // but a clock past the due moment wins over a stale yellow
    expect(deadlineState(deadline(), at('2026-11-29T00:00:00+08:00'), 'yellow').card).toBe('red')
  })
  it('stops the clock while suspended', () => {
    const d = deadline({ paused_at: '2026-11-25T17:30:00+08:00' })
    const s = deadlineState(d, at('2026-12-20T00:00:00+08:00'))
    expect(s).toEqual({ overdue: false, ms: 3 * D, paused: true, card: null })
    expect(liveCard({ deadline: d, card: null }, at('2026-12-20T00:00:00+08:00'))).toBeNull()
  })
  it('falls back to the server card without a deadline', () => {
    expect(liveCard({ card: 'yellow' }, new Date())).toBe('yellow')
    expect(liveCard({}, new Date())).toBeNull()
  })
})

describe('moments and limits', () => {
  const now = at('2026-11-23T12:00:00+08:00')
  it('names the step', () => {
    expect(dueLine(deadline(), zh, now)).toBe('处置时限：11月28日 17:30')
    expect(dueLine(deadline({ step: 'accept' }), en, now)).toBe('Acceptance due: 28 Nov 17:30')
    expect(dueUntil(deadline({ step: 'verify' }), zh, now)).toBe('核查时限至 11月28日 17:30')
    expect(dueUntil(deadline(), en, now)).toBe('Handling due by 28 Nov 17:30')
  })
  it('reads a limit', () => {
    expect(limitText({ amount: 5, unit: 'working_days' }, zh)).toBe('5个工作日')
    expect(limitText({ amount: 1, unit: 'working_days' }, en)).toBe('1 working day')
    expect(limitText({ amount: 16, unit: 'working_hours' }, en)).toBe('16 working hours')
    expect(limitText({ amount: 2, unit: 'hours' }, zh)).toBe('2小时')
    expect(limitText({ amount: 2, unit: 'natural_hours' }, en)).toBe('2 hours')
  })
  it('titles a card mark', () => {
    const d = deadline()
    const n = at('2026-11-28T18:30:00+08:00')
    expect(cardTitle(d, deadlineState(d, n), zh, n)).toBe('处置时限：11月28日 17:30 · 已超期 1小时')
  })
})

describe('a list row\'s time limit', () => {
  it('always shows the due moment and the time left, not only when overdue', () => {
    const d = deadline()
    const n = at('2026-11-28T14:10:00+08:00')
    expect(deadlineCell(d, null, zh, at('2026-11-26T14:30:00+08:00'))).toEqual({
      due: '11月28日 17:30',
      left: '剩余 2天3小时',
      title: '处置时限：11月28日 17:30 · 剩余 2天3小时',
      tone: 'ok',
    })
    expect(deadlineCell(d, null, zh, n)).toMatchObject({ left: '剩余 3小时20分钟', tone: 'yellow' })
    expect(deadlineCell(d, null, en, n)).toMatchObject({ due: '28 Nov 17:30', left: '3 hours 20 minutes left' })
  })
  it('is red and says how late once overdue', () => {
    const c = deadlineCell(deadline(), null, zh, at('2026-11-30T17:30:00+08:00'))
    expect(c).toMatchObject({ left: '已超期 2天', tone: 'red' })
    expect(deadlineCell(deadline(), null, en, at('2026-11-30T17:30:00+08:00')).left).toBe('overdue by 2 days')
    // the server's red card wins over a lagging clock
    expect(deadlineCell(deadline(), 'red', zh, at('2026-11-28T17:29:00+08:00')).tone).toBe('red')
  })
  it('is grey and says so while the clock stands', () => {
    const c = deadlineCell(deadline({ paused_at: '2026-11-25T17:30:00+08:00' }), null, zh, at('2026-12-20T00:00:00+08:00'))
    expect(c).toMatchObject({ left: '剩余 3天 · 暂停', tone: 'paused' })
    expect(c.title).toBe('处置时限：11月28日 17:30 · 剩余 3天 · 已暂停计时')
  })
})

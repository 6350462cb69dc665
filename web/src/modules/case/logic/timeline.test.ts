import { describe, expect, it } from 'vitest'
import type { EventView } from '../api'
import { autoRule, eventDeadlines, eventTone, timelineDetails } from './timeline'

const system = { kind: 'system', name: 'system' }
const ev = (type: string, data: Record<string, unknown> = {}, over: Partial<EventView> = {}): EventView => ({
  seq: 1, at: '2026-11-23T10:00:00+08:00', actor: { kind: 'user', name: '王五', role: 'town_dispatcher' }, type, data, ...over,
})
const dl = { step: 'handle' as const, started: '2026-11-23T10:00:00+08:00', warn: '2026-11-27T17:30:00+08:00', due: '2026-11-28T17:30:00+08:00', limit: { amount: 5, unit: 'working_days' as const }, weekends_only: false, paused_at: null }

describe('event deadlines', () => {
  it('shows the deadline an event started', () => {
    expect(eventDeadlines(ev('dispatched', {}, { deadline: dl }))).toEqual([{ kind: 'until', step: 'handle', due: dl.due }])
    expect(eventDeadlines(ev('dispatched'))).toEqual([])
    expect(eventDeadlines(ev('dispatched', {}, { deadline: null }))).toEqual([])
  })
  it('shows the due moment of a warning or an overdue, once', () => {
    const warned = ev('deadline_warned', { step: 'handle', due: '2026-11-28T09:30:00Z' }, { actor: system })
    expect(eventDeadlines(warned)).toEqual([{ kind: 'due', step: 'handle', due: '2026-11-28T09:30:00Z' }])
    // the same deadline on the event is not repeated, another one is
    expect(eventDeadlines({ ...warned, deadline: dl })).toHaveLength(1)
    expect(eventDeadlines({ ...warned, deadline: { ...dl, step: 'verify' } })).toHaveLength(2)
    // an unknown step is left out
    expect(eventDeadlines(ev('overdue', { step: 'lunch', due: dl.due }, { actor: system }))).toEqual([])
  })
})

describe('automatic rules', () => {
  it('names the rule behind a system event', () => {
    expect(autoRule(ev('supervised', {}, { actor: system }))).toBe('autoRule.supervised')
    expect(autoRule(ev('escalated', { to: '3710' }, { actor: system }))).toBe('autoRule.escalated')
    expect(autoRule(ev('reopened', {}, { actor: system }))).toBe('autoRule.reopened')
    expect(autoRule(ev('supervised'))).toBeNull()
    expect(autoRule(ev('overdue', {}, { actor: system }))).toBeNull()
  })
  it('colours the deadline events and the automatic actions', () => {
    expect(eventTone(ev('overdue', {}, { actor: system }))).toBe('danger')
    expect(eventTone(ev('deadline_warned', {}, { actor: system }))).toBe('warning')
    expect(eventTone(ev('supervised', {}, { actor: system }))).toBe('danger')
    expect(eventTone(ev('supervised'))).toBeUndefined()
  })
  it('keeps the old details of a system event', () => {
    expect(timelineDetails(ev('supervised', { instruction: '逾期未办结' }, { actor: system }))).toEqual([
      { key: 'instruction', label: 'field.instruction', value: '逾期未办结' },
    ])
  })
})

describe('review and suspension events', () => {
  it('shows the decision of a return review and of a requested suspension', () => {
    expect(timelineDetails(ev('return_reviewed', { accepted: false, comment: '属于本部门职责' }))).toEqual([
      { key: 'comment', label: 'field.comment', value: '属于本部门职责' },
      { key: 'accepted', label: 'field.accepted', value: 'common.no', translate: true },
    ])
    expect(timelineDetails(ev('suspension_decided', { granted: true })).map((d) => d.label)).toEqual(['field.grantSuspension'])
    expect(timelineDetails(ev('extension_decided', { granted: true })).map((d) => d.label)).toEqual(['field.granted'])
  })
})

describe('corrections', () => {
  it('shows a reclassification: the category from → to, the priority when it changed, the reason', () => {
    const data = { from: '0102', from_priority: 'normal', category: '0201', priority: 'urgent', reason: '实为私搭乱建' }
    expect(timelineDetails(ev('reclassified', data))).toEqual([
      { key: 'category', label: 'field.category', from: '0102', value: '0201' },
      { key: 'priority', label: 'field.priority', from: 'priority.normal', value: 'priority.urgent', translate: true },
      { key: 'reason', label: 'field.reason', value: '实为私搭乱建' },
    ])
    // the priority unchanged: the category alone
    expect(timelineDetails(ev('reclassified', { ...data, priority: 'normal' })).map((d) => d.key)).toEqual(['category', 'reason'])
    // the same priority on another event is no change of anything
    expect(timelineDetails(ev('reported', { category: '0102', priority: 'high' }))).toEqual([])
  })
  it('shows the reason of a recall', () => {
    expect(timelineDetails(ev('recalled', { reason: '派错部门' }))).toEqual([{ key: 'reason', label: 'field.reason', value: '派错部门' }])
    expect(eventTone(ev('recalled', { reason: '派错部门' }))).toBeUndefined()
  })
})

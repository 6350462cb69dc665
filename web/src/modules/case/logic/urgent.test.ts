import { describe, expect, it } from 'vitest'
import type { CaseView } from '../api'
import { newUrgent, urgentWaiting } from './urgent'

const c = (id: string, priority: string, state = 'reported') => ({ id, priority, state }) as unknown as CaseView

describe('urgent cases', () => {
  it('are the urgent ones still waiting to be accepted', () => {
    expect(urgentWaiting([c('a', 'urgent'), c('b', 'high'), c('c', 'urgent', 'accepted')]).map((x) => x.id)).toEqual(['a'])
  })

  it('are announced once each', () => {
    const seen = new Set<string>()
    expect(newUrgent([c('a', 'urgent'), c('b', 'normal')], seen).map((x) => x.id)).toEqual(['a'])
    expect(newUrgent([c('x', 'urgent'), c('a', 'urgent')], seen).map((x) => x.id)).toEqual(['x'])
    expect(newUrgent([c('x', 'urgent'), c('a', 'urgent')], seen)).toEqual([])
  })
})

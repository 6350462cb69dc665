import { describe, expect, it } from 'vitest'
import type { PatrolEntry } from '../api'
import { byTime, emptyPatrolForm, entryTime, NOTE_MAX, patrolBody } from './patrol'

describe('patrolBody', () => {
  it('needs a note of 1 to 1000 characters, trimmed', () => {
    expect(patrolBody(emptyPatrolForm())).toEqual({ ok: false, field: 'note' })
    expect(patrolBody({ ...emptyPatrolForm(), note: '   ' })).toEqual({ ok: false, field: 'note' })
    expect(patrolBody({ ...emptyPatrolForm(), note: '巡'.repeat(NOTE_MAX + 1) })).toEqual({ ok: false, field: 'note' })
    expect(patrolBody({ ...emptyPatrolForm(), note: '巡'.repeat(NOTE_MAX) }).ok).toBe(true)
  })
  it('sends the kind and the note, and no location when none was taken', () => {
    expect(patrolBody({ ...emptyPatrolForm('visit'), note: ' 走访独居老人 ' })).toEqual({ ok: true, body: { kind: 'visit', note: '走访独居老人' } })
  })
  it('sends the location as WGS84', () => {
    expect(patrolBody({ kind: 'patrol', note: '巡查', location: { lon: 122.12, lat: 37.5 } })).toEqual({
      ok: true,
      body: { kind: 'patrol', note: '巡查', location: { lon: 122.12, lat: 37.5, crs: 'wgs84' } },
    })
  })
})

describe('entryTime and byTime', () => {
  it('shows the China time of day', () => {
    expect(entryTime('2026-03-01T01:05:00Z')).toBe('09:05')
    expect(entryTime('nonsense')).toBe('nonsense')
  })
  it('orders entries oldest first', () => {
    const e = (id: string, at: string) => ({ id, at }) as PatrolEntry
    expect(byTime([e('b', '2026-03-01T03:00:00Z'), e('a', '2026-03-01T01:00:00Z')]).map((x) => x.id)).toEqual(['a', 'b'])
  })
})

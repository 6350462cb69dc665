// The grid worker's patrol and visit log (巡查走访): the form and the body it sends.
import type { Location } from '@/core/api'
import type { Built } from '@/core/logic/forms'
import type { NewPatrol, PatrolEntry, PatrolKind } from '../api'

export const PATROL_KINDS: PatrolKind[] = ['patrol', 'visit']
/** The API's limit on a note, in characters. */
export const NOTE_MAX = 1000

export interface PatrolForm {
  kind: PatrolKind
  note: string
  location: Location | null
}

export const emptyPatrolForm = (kind: PatrolKind = 'patrol'): PatrolForm => ({ kind, note: '', location: null })

/** `POST /patrols`: a note of 1–1000 characters (trimmed); the point, when given, as WGS84. */
export function patrolBody(f: PatrolForm): Built<NewPatrol> {
  const note = f.note.trim()
  if (!note || [...note].length > NOTE_MAX) return { ok: false, field: 'note' }
  const body: NewPatrol = { kind: f.kind, note }
  if (f.location) body.location = { lon: f.location.lon, lat: f.location.lat, crs: 'wgs84' }
  return { ok: true, body }
}

/** The time of day of an entry (China time, as the log's days are China's), `HH:mm`. */
export function entryTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false })
}

/** Entries oldest first (the API's order), however they arrive. */
export const byTime = (es: readonly PatrolEntry[]): PatrolEntry[] => [...es].sort((a, b) => a.at.localeCompare(b.at))

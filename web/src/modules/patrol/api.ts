// The patrol and visit log's API (巡查走访): one day's entries and adding one.
import type { Crs, Location } from '@/core/api'
import { query, request } from '@/core/http'

export type PatrolKind = 'patrol' | 'visit'
export interface NewPatrol { kind: PatrolKind; note: string; location?: { lon: number; lat: number; crs?: Crs } }
export interface PatrolEntry {
  id: string
  username: string
  kind: PatrolKind
  area: string
  /** The grid (15-digit code) the entry's point lies in, when given and in the worker's area. */
  grid: string | null
  location: Location | null
  note: string
  at: string
}

export const patrolApi = {
  /** One day's log of the signed-in worker (`date` YYYY-MM-DD, China time; today by default). */
  patrols: (date?: string) => request<PatrolEntry[]>('GET', '/patrols' + query({ date })),
  addPatrol: (p: NewPatrol) => request<PatrolEntry>('POST', '/patrols', p),
}

// Figures for the dashboards, computed from the API's counts and lists.
import { OPEN_STATES, type CaseView, type Counts } from '@/modules/case/api'

/** A half-open time window [from, to), as RFC 3339 strings for `created_from`/`created_to`. */
export interface Window {
  label: string // MM-DD
  from: string
  to: string
}

/** Midnight (local time) of the day of `d`. */
export function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate())
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The last `days` calendar days ending with today, oldest first, in local time. */
export function dayWindows(now: Date, days = 30): Window[] {
  const today = startOfDay(now)
  const out: Window[] = []
  for (let i = days - 1; i >= 0; i--) {
    const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - i)
    const to = new Date(today.getFullYear(), today.getMonth(), today.getDate() - i + 1)
    out.push({ label: `${pad(from.getMonth() + 1)}-${pad(from.getDate())}`, from: from.toISOString(), to: to.toISOString() })
  }
  return out
}

/** The first instant of the month of `now`, local time. */
export function startOfMonth(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), 1)
}

/** Open cases in a counts answer. */
export function openCount(c: Counts): number {
  return OPEN_STATES.reduce((n, s) => n + (c.by_state[s] ?? 0), 0)
}

/** Counts of `items` by a key, largest first. */
export function tally<T>(items: T[], key: (t: T) => string): { key: string; count: number }[] {
  const m = new Map<string, number>()
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1)
  return [...m.entries()].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
}

/** Runs `jobs` with at most `limit` at a time, keeping their order in the result. */
export async function pooled<T>(jobs: (() => Promise<T>)[], limit = 6): Promise<T[]> {
  const out: T[] = new Array(jobs.length)
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++
      out[i] = await jobs[i]()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker))
  return out
}

/** The town (9-digit area) of a case, or its deepest area if it lies above town level. */
export function townOf(c: Pick<CaseView, 'area'>): { code: string; name: string } {
  const town = c.area.find((a) => a.level === 'town') ?? c.area[c.area.length - 1]
  return { code: town?.code ?? '', name: town?.name ?? '' }
}

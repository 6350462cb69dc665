import { describe, expect, it } from 'vitest'
import { dayWindows, openCount, pooled, startOfMonth, tally, townOf } from './stats'

describe('dayWindows', () => {
  it('gives 30 consecutive local days ending today, oldest first', () => {
    const now = new Date(2026, 10, 23, 15, 30)
    const w = dayWindows(now, 30)
    expect(w).toHaveLength(30)
    expect(w[29].label).toBe('11-23')
    expect(w[0].label).toBe('10-25')
    expect(new Date(w[29].from).getTime()).toBe(new Date(2026, 10, 23).getTime())
    expect(new Date(w[29].to).getTime()).toBe(new Date(2026, 10, 24).getTime())
    for (let i = 1; i < w.length; i++) expect(w[i].from).toBe(w[i - 1].to)
  })
  it('crosses month and year ends', () => {
    const w = dayWindows(new Date(2027, 0, 2, 1), 3)
    expect(w.map((x) => x.label)).toEqual(['12-31', '01-01', '01-02'])
    expect(startOfMonth(new Date(2027, 0, 2, 1)).getDate()).toBe(1)
  })
})

describe('figures', () => {
  it('counts open states only', () => {
    expect(openCount({ total: 10, by_state: { reported: 2, dispatched: 3, closed: 4, rated: 1 } })).toBe(5)
  })
  it('tallies largest first', () => {
    expect(tally(['a', 'b', 'b', 'c', 'b', 'a'], (x) => x)).toEqual([
      { key: 'b', count: 3 },
      { key: 'a', count: 2 },
      { key: 'c', count: 1 },
    ])
  })
  it('finds the town of a case', () => {
    const area = [
      { code: '3710', name: '威海市', level: 'city' as const },
      { code: '371002001', name: '环翠楼街道', level: 'town' as const },
      { code: '371002001001', name: '社区', level: 'village' as const },
    ]
    expect(townOf({ area }).name).toBe('环翠楼街道')
    expect(townOf({ area: area.slice(0, 1) }).name).toBe('威海市')
  })
  it('runs jobs with a limit and keeps their order', async () => {
    let running = 0
    let peak = 0
    const jobs = Array.from({ length: 10 }, (_, i) => async () => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, 5 * ((i * 7) % 3)))
      running--
      return i
    })
    expect(await pooled(jobs, 3)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(peak).toBeLessThanOrEqual(3)
  })
})

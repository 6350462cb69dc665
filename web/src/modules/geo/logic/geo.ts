// Grids on maps: the colour scale of cases per grid, bounds of GeoJSON, and how a case's place
// was found, in words.

import type { CaseView } from '@/modules/case/api'
import type { Feature, FeatureCollection, GridProps, GridStaff, LocateResult } from '../api'

type T = (key: string, named?: Record<string, unknown>) => string

/** Fill colours of the classes above zero, light to dark (cases per grid). */
export const SCALE_COLORS = ['#fde68a', '#fbbf24', '#f97316', '#dc2626', '#7f1d1d']
/** Fill of a grid without cases. */
export const ZERO_COLOR = '#dbeafe'

/** Classes of a count: `breaks[i]` is the lowest count of class i+1 (class 0 is "no case"). */
export interface CountScale {
  breaks: number[]
  colors: string[]
}

/** A 1-2-5 step at least `x`. */
function niceStep(x: number): number {
  if (x <= 1) return 1
  const p = 10 ** Math.floor(Math.log10(x))
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p
  return 10 * p
}

/**
 * The scale for counts up to `max`: one class per count up to 5, else five classes of a 1-2-5
 * step (1, step, 2·step, …), so the legend reads in round numbers.
 */
export function countScale(max: number): CountScale {
  const m = Math.max(0, Math.floor(Number.isFinite(max) ? max : 0))
  let breaks: number[]
  if (m <= SCALE_COLORS.length) {
    breaks = Array.from({ length: Math.max(1, m) }, (_, i) => i + 1)
  } else {
    const step = niceStep(m / SCALE_COLORS.length)
    breaks = [1]
    for (let k = 1; breaks.length < SCALE_COLORS.length && k * step <= m; k++) if (k * step > 1) breaks.push(k * step)
  }
  // Spread the colours so that a short scale still runs from light to dark.
  const n = breaks.length
  const colors = breaks.map((_, i) => SCALE_COLORS[n === 1 ? SCALE_COLORS.length - 1 : Math.round((i * (SCALE_COLORS.length - 1)) / (n - 1))])
  return { breaks, colors }
}

/** The fill of a grid with `n` cases. */
export function countColor(n: number, s: CountScale): string {
  let c = ZERO_COLOR
  for (let i = 0; i < s.breaks.length; i++) if (n >= s.breaks[i]) c = s.colors[i]
  return c
}

/** The legend of a scale: one row per class, zero first ("0", "1", "2–3", "≥ 8"). */
export function legendRows(s: CountScale): { label: string; color: string }[] {
  const rows = [{ label: '0', color: ZERO_COLOR }]
  s.breaks.forEach((b, i) => {
    const next = s.breaks[i + 1]
    const label = next === undefined ? (i === 0 && b === 1 && s.breaks.length === 1 ? '≥ 1' : `≥ ${b}`) : next - 1 === b ? String(b) : `${b}–${next - 1}`
    rows.push({ label, color: s.colors[i] })
  })
  return rows
}

/** Grid properties as drawn: the register fields, the count and its colour. */
export interface PaintedGrid extends GridProps {
  open: number
  color: string
}

/**
 * The grids with their case count (`open`) and fill (`color`), and the scale used. Counts of
 * grids not in the collection are ignored.
 */
export function paintGrids(
  fc: FeatureCollection<GridProps> | null | undefined,
  counts: Record<string, number> | null | undefined,
): { fc: FeatureCollection<PaintedGrid>; scale: CountScale; total: number } {
  const feats = fc?.features ?? []
  const n = (code: string) => (counts && Number.isFinite(counts[code]) ? counts[code] : 0)
  const max = feats.reduce((m, f) => Math.max(m, n(f.properties.code)), 0)
  const scale = countScale(max)
  let total = 0
  const features: Feature<PaintedGrid>[] = feats.map((f) => {
    const open = n(f.properties.code)
    total += open
    return { ...f, properties: { ...f.properties, open, color: countColor(open, scale) } }
  })
  return { fc: { type: 'FeatureCollection', features }, scale, total }
}

/** The bounding box [[west, south], [east, north]] of some GeoJSON, or null if it has no coordinates. */
export function featureBounds(fc: { features: { geometry: { coordinates: unknown } | null }[] } | null | undefined): [[number, number], [number, number]] | null {
  let w = Infinity
  let s = Infinity
  let e = -Infinity
  let n = -Infinity
  const walk = (c: unknown) => {
    if (!Array.isArray(c)) return
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      const [x, y] = c as number[]
      if (!Number.isFinite(x) || !Number.isFinite(y)) return
      w = Math.min(w, x)
      e = Math.max(e, x)
      s = Math.min(s, y)
      n = Math.max(n, y)
      return
    }
    for (const x of c) walk(x)
  }
  for (const f of fc?.features ?? []) walk(f.geometry?.coordinates)
  return Number.isFinite(w) ? [[w, s], [e, n]] : null
}

/** The usernames of one staff role, or a dash. */
export function staffText(list: string[] | string | null | undefined): string {
  const l = Array.isArray(list) ? list : list ? [list] : []
  return l.length ? l.join('、') : '—'
}

/** True if a grid has no staff attached (or the reader may not see them). */
export function noStaff(s: GridStaff | null | undefined): boolean {
  return !s || [s.chief, s.full_time, s.part_time, s.police].every((l) => !l || l.length === 0)
}

/** A confidence 0..1 as a whole percentage. */
export function percent(x: number | null | undefined): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${Math.round(x * 100)}%` : ''
}

/**
 * How a case's place was found, in one line: by its point (and if on a border), by an address
 * match (with the matched address and confidence), by the area only, or by a person.
 */
export function locatedText(t: T, c: Pick<CaseView, 'located_by' | 'located'>): string {
  const by = c.located_by ?? c.located?.method
  if (!by) return t('located.unknown')
  const l = c.located
  const parts = [t('located.by.' + by)]
  if (by === 'point') {
    if (l?.crs && l.crs !== 'wgs84') parts.push(t('located.crs', { crs: l.crs.toUpperCase() }))
    if (l?.on_border) parts.push(t('located.onBorder'))
  }
  if (by === 'address') {
    parts.push(l?.matched_address ? l.matched_address : t('located.noMatch'))
    if (typeof l?.confidence === 'number') parts.push(t('located.confidence', { p: percent(l.confidence) }))
  }
  // Confirmed by a person: say how the report had been placed.
  if (by === 'person' && l && l.method !== 'person') parts.push(t('located.reported', { how: locatedText(t, { located_by: l.method, located: l }) }))
  return parts.join(' · ')
}

/** A grid as a person reads it: "name（code）". */
export function gridLabel(code: string | null | undefined, name?: string | null): string {
  if (!code) return ''
  return name ? `${name}（${code}）` : code
}

/** Where a point fell, from the district down: "环翠区 / 环翠楼街道 / 某社区 · 第1网格（code）". */
export function whereText(t: T, r: Pick<LocateResult, 'grid' | 'path' | 'on_border'>, gridName?: string | null): string {
  const grid = r.grid ? gridLabel(r.grid, gridName) : t('located.noGrid')
  const parts = [areaPath(r.path), grid]
  if (r.on_border) parts.push(t('located.onBorder'))
  return parts.filter(Boolean).join(' · ')
}

/** An area path from the district down ("环翠区 / 环翠楼街道 / 某社区"), province and city left out. */
export function areaPath(path: { name: string; level: string }[]): string {
  return path.filter((a) => a.level === 'county' || a.level === 'town' || a.level === 'village').map((a) => a.name).join(' / ')
}

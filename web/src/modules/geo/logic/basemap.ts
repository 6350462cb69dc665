// The basemap as MapLibre style sources and layers, and where the names of areas go when there
// is no basemap to carry them. Pure: CaseMap.vue applies the results to its map.
import type { Basemap, BoundaryProps, FeatureCollection } from '../api'

// MapLibre's style objects, as far as these functions build them.
export type StyleSource = Record<string, unknown>
export type StyleLayer = { id: string; type: string; source: string; [k: string]: unknown }

/** Layer ids of the basemap start with this, so they can be hidden together. */
export const BASEMAP_PREFIX = 'basemap-'

/** Whether the map draws tiles from a basemap (`false`: the platform's own data and a note). */
export const hasTiles = (b: Basemap | null | undefined) => !!b && b.kind !== 'none' && (b.layers.length > 0 || !!b.pmtiles_url)

/**
 * The sources and layers of raster basemaps (天地图, XYZ, WMTS, a raster PMTiles file). `origin`
 * makes a PMTiles path absolute for the pmtiles protocol. A vector PMTiles file's layers come
 * from its metadata instead (vectorLayers).
 */
export function rasterBasemap(b: Basemap, origin: string): { sources: Record<string, StyleSource>; layers: StyleLayer[] } {
  const sources: Record<string, StyleSource> = {}
  const layers: StyleLayer[] = []
  const attribution = b.attribution || undefined
  b.layers.forEach((tiles, i) => {
    const id = `${BASEMAP_PREFIX}${i}`
    sources[id] = { type: 'raster', tiles, tileSize: 256, maxzoom: b.max_zoom, attribution }
    layers.push({ id, type: 'raster', source: id })
  })
  if (b.pmtiles_url && b.pmtiles_type === 'raster') {
    const id = `${BASEMAP_PREFIX}pmtiles`
    sources[id] = { type: 'raster', url: `pmtiles://${origin}${b.pmtiles_url}`, tileSize: 256, attribution }
    layers.push({ id, type: 'raster', source: id })
  }
  return { sources, layers }
}

/**
 * Plain layers for a vector tile file of any schema: its polygons as a light wash, its lines as
 * thin grey lines. Without glyphs (nothing is fetched from outside) no text is drawn.
 */
export function vectorLayers(sourceId: string, vectorLayerIds: string[], dark: boolean): StyleLayer[] {
  const fill = dark ? '#13294b' : '#e2e8f0'
  const line = dark ? '#2b4a75' : '#cbd5e1'
  return vectorLayerIds.flatMap((l) => [
    {
      id: `${BASEMAP_PREFIX}${l}-fill`, type: 'fill', source: sourceId, 'source-layer': l,
      filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': fill, 'fill-opacity': 0.6 },
    },
    {
      id: `${BASEMAP_PREFIX}${l}-line`, type: 'line', source: sourceId, 'source-layer': l,
      filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': line, 'line-width': 1 },
    },
  ])
}

export interface AreaLabel { code: string; name: string; level: string; lon: number; lat: number }

/** The centroid of a ring (shoelace), or its first point when it has no area. */
function ringCentroid(ring: number[][]): { x: number; y: number; a: number } {
  let a = 0
  let cx = 0
  let cy = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j]
    const [x1, y1] = ring[i]
    const f = x0 * y1 - x1 * y0
    a += f
    cx += (x0 + x1) * f
    cy += (y0 + y1) * f
  }
  if (Math.abs(a) < 1e-15) return { x: ring[0]?.[0] ?? NaN, y: ring[0]?.[1] ?? NaN, a: 0 }
  return { x: cx / (3 * a), y: cy / (3 * a), a: Math.abs(a / 2) }
}

/** Where each area's name goes: the centroid of its largest polygon's outer ring. */
export function areaLabels(fc: FeatureCollection<BoundaryProps> | null | undefined): AreaLabel[] {
  const out: AreaLabel[] = []
  for (const f of fc?.features ?? []) {
    const g = f.geometry
    if (!g || !f.properties?.name) continue
    const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []) as number[][][][]
    let best: { x: number; y: number; a: number } | null = null
    for (const p of polygons) {
      const c = p[0] ? ringCentroid(p[0]) : null
      if (c && Number.isFinite(c.x) && (!best || c.a > best.a)) best = c
    }
    if (best) out.push({ code: f.properties.code, name: f.properties.name, level: f.properties.level, lon: best.x, lat: best.y })
  }
  return out
}

/** The zoom from which an area level's names show (towns early, communities close up). */
export function labelMinZoom(level: string): number {
  if (level === 'town') return 10.5
  if (level === 'village') return 13
  return 0
}

/** The URL of the Web Mercator tile holding a point at zoom `z`. */
export function tileUrl(template: string, lon: number, lat: number, z: number): string {
  const n = 2 ** z
  const x = Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)))
  const rad = (lat * Math.PI) / 180
  const y = Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)))
  return template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y))
}

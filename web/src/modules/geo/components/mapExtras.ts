// What CaseMap.vue adds to a MapLibre map besides its data: the configured basemap (and noticing
// when its tiles do not come), the platform's own substitute for one (area names, road
// sketches), and the counts on cluster circles. Names and counts are HTML markers because
// MapLibre draws text only from glyph files, and nothing may be fetched from outside; a city's
// few hundred names and clusters are well within what markers handle.
import type { Basemap, BoundaryProps, FeatureCollection, RoadProps } from '../api'
import { areaLabels, BASEMAP_PREFIX, labelMinZoom, rasterBasemap, tileUrl, vectorLayers, type StyleLayer } from '../logic/basemap'

// MapLibre's module and map, typed loosely: the component imports MapLibre lazily.
/* eslint-disable @typescript-eslint/no-explicit-any */
type MapLibre = any
type MapInstance = any

let pmtilesProtocol: Promise<any> | null = null

/** The pmtiles:// protocol, registered with MapLibre once per page. */
async function pmtiles(maplibre: MapLibre): Promise<any> {
  pmtilesProtocol ??= import('pmtiles').then(({ Protocol }) => {
    const protocol = new Protocol()
    maplibre.addProtocol('pmtiles', protocol.tile)
    return protocol
  })
  return pmtilesProtocol
}

/** Adds the basemap's sources and layers below the layer `before`; answers whether it drew any. */
export async function addBasemap(maplibre: MapLibre, m: MapInstance, b: Basemap, dark: boolean, before: string): Promise<boolean> {
  const { sources, layers } = rasterBasemap(b, window.location.origin)
  let all: StyleLayer[] = layers
  const protocol = b.pmtiles_url ? await pmtiles(maplibre) : null
  if (protocol && b.pmtiles_type === 'vector') {
    const { PMTiles } = await import('pmtiles')
    const url = `${window.location.origin}${b.pmtiles_url}`
    const file = new PMTiles(url)
    protocol.add(file)
    const meta = (await file.getMetadata()) as { vector_layers?: { id: string }[] }
    const id = `${BASEMAP_PREFIX}vector`
    sources[id] = { type: 'vector', url: `pmtiles://${url}`, attribution: b.attribution || undefined }
    all = vectorLayers(id, (meta.vector_layers ?? []).map((l) => l.id), dark)
  }
  for (const [id, s] of Object.entries(sources)) m.addSource(id, s)
  for (const l of all) m.addLayer(l, m.getLayer(before) ? before : undefined)
  return all.length > 0
}

/**
 * Calls `unreachable` once when the basemap's tiles fail and none has come: the tile server is
 * down, blocked, or refuses the key. One tile that loads is enough to keep the basemap.
 */
export function watchBasemap(m: MapInstance, unreachable: () => void): void {
  let loaded = 0
  let failed = 0
  let told = false
  const mine = (e: any) => typeof e?.sourceId === 'string' && e.sourceId.startsWith(BASEMAP_PREFIX)
  m.on('sourcedata', (e: any) => {
    if (mine(e) && e.tile && e.tile.state === 'loaded') loaded++
  })
  m.on('error', (e: any) => {
    if (!mine(e)) return
    failed++
    if (!told && loaded === 0 && failed >= 2) {
      told = true
      unreachable()
    }
  })
}

/**
 * Asks the tile server for the tile under the map's centre (the file's header for PMTiles):
 * false when it fails, answers an error, or does not answer within `ms`. MapLibre counts a
 * tile's 404 as "no tile here" and says nothing, so a wrong key or path would leave a blank map.
 */
export async function probeBasemap(m: MapInstance, b: Basemap, ms = 10000): Promise<boolean> {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), ms)
  try {
    if (b.pmtiles_url) {
      const r = await fetch(b.pmtiles_url, { headers: { Range: 'bytes=0-126' }, signal: abort.signal })
      return r.ok
    }
    const template = b.layers[0]?.[0]
    if (!template) return false
    const r = await fetch(tileUrl(template, m.getCenter().lng, m.getCenter().lat, Math.min(Math.round(m.getZoom()), b.max_zoom)), { signal: abort.signal })
    return r.ok
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}

/** Hides the basemap's layers (after it proved unreachable). */
export function hideBasemap(m: MapInstance): void {
  for (const l of m.getStyle()?.layers ?? []) if (l.id.startsWith(BASEMAP_PREFIX)) m.setLayoutProperty(l.id, 'visibility', 'none')
}

/** HTML names on the map that show from a zoom on; `set` replaces them, `remove` ends them. */
export function nameMarkers(maplibre: MapLibre, m: MapInstance) {
  let markers: { marker: any; minZoom: number; shown?: boolean }[] = []
  // Zooming fires on every frame: only the names crossing their zoom are touched.
  const show = () => {
    const z = m.getZoom()
    for (const n of markers) {
      const on = z >= n.minZoom
      if (n.shown === on) continue
      n.shown = on
      n.marker.getElement().style.display = on ? '' : 'none'
    }
  }
  m.on('zoom', show)
  const place = (name: string, cls: string, lonlat: [number, number], minZoom: number) => {
    const el = document.createElement('div')
    el.className = `map-name ${cls}`
    el.textContent = name
    markers.push({ marker: new maplibre.Marker({ element: el }).setLngLat(lonlat).addTo(m), minZoom })
  }
  return {
    set(boundaries: FeatureCollection<BoundaryProps> | null, roads: FeatureCollection<RoadProps> | null) {
      for (const { marker } of markers) marker.remove()
      markers = []
      for (const a of areaLabels(boundaries)) {
        if (a.level === 'town' || a.level === 'village') place(a.name, `map-name-${a.level}`, [a.lon, a.lat], labelMinZoom(a.level))
      }
      for (const r of roads?.features ?? []) {
        const line = (r.geometry?.coordinates ?? []) as number[][]
        const mid = line[Math.floor(line.length / 2)]
        if (mid) place(r.properties.name, 'map-name-road', [mid[0], mid[1]], 14)
      }
      show()
    },
    remove() {
      for (const { marker } of markers) marker.remove()
      markers = []
    },
  }
}

/** The road sketches, drawn as roads are on a map (a light line in a grey casing) under the data. */
export function addRoads(m: MapInstance, roads: FeatureCollection<RoadProps>, dark: boolean, before?: string): void {
  if (m.getSource('roads')) return m.getSource('roads').setData(roads)
  m.addSource('roads', { type: 'geojson', data: roads })
  const width = (w0: number, w1: number) => ['interpolate', ['linear'], ['zoom'], 11, w0, 16, w1]
  const layout = { 'line-join': 'round', 'line-cap': 'round' }
  m.addLayer({ id: 'roads-casing', type: 'line', source: 'roads', layout, paint: { 'line-color': dark ? '#1e3a5f' : '#94a3b8', 'line-width': width(2.5, 9) } }, before)
  m.addLayer({ id: 'roads', type: 'line', source: 'roads', layout, paint: { 'line-color': dark ? '#334e73' : '#ffffff', 'line-width': width(1.2, 6) } }, before)
}

/** Numbers on the cluster circles of `sourceId`, kept in step with the map as it moves. */
export function clusterCounts(maplibre: MapLibre, m: MapInstance, sourceId: string): void {
  const markers = new Map<number, any>()
  const update = () => {
    const seen = new Set<number>()
    for (const f of m.querySourceFeatures(sourceId)) {
      const p = f.properties
      if (!p?.cluster || seen.has(p.cluster_id)) continue
      seen.add(p.cluster_id)
      let mk = markers.get(p.cluster_id)
      if (!mk) {
        const el = document.createElement('div')
        el.className = 'cluster-count'
        mk = new maplibre.Marker({ element: el })
        markers.set(p.cluster_id, mk)
      }
      // New data may give an id to another cluster: text and place follow each time.
      const el = mk.getElement()
      el.textContent = String(p.point_count_abbreviated ?? p.point_count)
      el.dataset.count = String(p.point_count)
      mk.setLngLat(f.geometry.coordinates).addTo(m)
    }
    for (const [id, mk] of markers) {
      if (!seen.has(id)) {
        mk.remove()
        markers.delete(id)
      }
    }
  }
  // The markers ride with the map as it moves; the clusters themselves change only when a move
  // ends (a new zoom) or the points change, so the source is asked then, not on every frame.
  const refresh = () => {
    if (m.getSource(sourceId) && m.isSourceLoaded(sourceId)) update()
  }
  m.on('moveend', refresh)
  m.on('sourcedata', (e: any) => {
    if (e.sourceId === sourceId && e.isSourceLoaded) refresh()
  })
}

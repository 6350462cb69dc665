// Grids and outlines change only on an import, so one fetch per page load and area is enough.
import { geoApi, type Basemap, type BoundaryProps, type FeatureCollection, type GridDetail, type GridProps, type RoadProps } from './api'

const grids = new Map<string, Promise<FeatureCollection<GridProps>>>()
const outlines = new Map<string, Promise<FeatureCollection<BoundaryProps>>>()
const gridDetails = new Map<string, Promise<GridDetail>>()
const roads = new Map<string, Promise<FeatureCollection<RoadProps>>>()
const basemaps = new Map<string, Promise<Basemap>>()

function cached<T>(m: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = m.get(key)
  if (!p) {
    p = load().catch((e) => {
      m.delete(key)
      throw e
    })
    m.set(key, p)
  }
  return p
}

/** The grids in force under `area` (all grids when empty). */
export function gridsOf(area: string): Promise<FeatureCollection<GridProps>> {
  return cached(grids, area, () => geoApi.grids(area || undefined))
}

/** The outlines of the areas under `area`. */
export function boundariesOf(area: string): Promise<FeatureCollection<BoundaryProps>> {
  return cached(outlines, area, () => geoApi.boundaries(area || undefined))
}

/** One grid with its history. */
export function gridInfo(code: string): Promise<GridDetail> {
  return cached(gridDetails, code, () => geoApi.grid(code))
}

/** The roads sketched under `area`. */
export function roadsOf(area: string): Promise<FeatureCollection<RoadProps>> {
  return cached(roads, area, () => geoApi.roads(area))
}

/** The configured basemap (none if the server cannot say). */
export function basemapConfig(): Promise<Basemap> {
  return cached(basemaps, '', () =>
    geoApi.basemap().catch((): Basemap => ({ kind: 'none', layers: [], pmtiles_url: null, pmtiles_type: null, attribution: '', max_zoom: 18 })),
  )
}

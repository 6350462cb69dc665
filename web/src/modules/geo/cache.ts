// Grids and outlines change only on an import, so one fetch per page load and area is enough.
import { geoApi, type BoundaryProps, type FeatureCollection, type GridDetail, type GridProps } from './api'

const grids = new Map<string, Promise<FeatureCollection<GridProps>>>()
const outlines = new Map<string, Promise<FeatureCollection<BoundaryProps>>>()
const gridDetails = new Map<string, Promise<GridDetail>>()

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

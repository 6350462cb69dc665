// Reference data fetched once per page load (the server caches it for 30 s anyway).
import { api, type BoundaryProps, type Category, type Department, type FeatureCollection, type GridDetail, type GridProps } from './api'

let departments: Promise<Department[]> | null = null
let categories: Promise<Category[]> | null = null

export function allDepartments(): Promise<Department[]> {
  departments ??= api.departments().catch((e) => {
    departments = null
    throw e
  })
  return departments
}

export function allCategories(): Promise<Category[]> {
  categories ??= api.categories().catch((e) => {
    categories = null
    throw e
  })
  return categories
}

// Grids and outlines change only on an import, so one fetch per page load and area is enough.
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
  return cached(grids, area, () => api.grids(area || undefined))
}

/** The outlines of the areas under `area`. */
export function boundariesOf(area: string): Promise<FeatureCollection<BoundaryProps>> {
  return cached(outlines, area, () => api.boundaries(area || undefined))
}

/** One grid with its history. */
export function gridInfo(code: string): Promise<GridDetail> {
  return cached(gridDetails, code, () => api.grid(code))
}

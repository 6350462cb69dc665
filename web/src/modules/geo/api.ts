// Geography's API: grids and their history, area outlines, which grid a point falls in, and the
// standard address library.
import type { AreaLevel, AreaRef, Crs, Location } from '@/core/api'
import { query, request } from '@/core/http'

/** How a case's place was found. */
export type LocatedBy = 'point' | 'address' | 'area' | 'person'
export interface AddressCandidateRef { id: number; text: string; confidence: number }
/** The outcome of placing a report (`located` on a case). */
export interface LocationFix {
  method: LocatedBy
  grid?: string | null
  crs?: string | null
  input?: Location | null
  on_border?: boolean
  address_id?: number | null
  matched_address?: string | null
  confidence?: number | null
  candidates?: AddressCandidateRef[]
  needs_confirmation?: boolean
  note?: string | null
}

// GeoJSON, as much of it as the maps need.
export type Position = number[]
export interface Geometry {
  type: 'Polygon' | 'MultiPolygon' | 'Point' | 'LineString' | 'MultiLineString'
  coordinates: unknown
}
export interface Feature<P = Record<string, unknown>> {
  type: 'Feature'
  id?: string | number
  properties: P
  geometry: Geometry | null
}
export interface FeatureCollection<P = Record<string, unknown>> { type: 'FeatureCollection'; features: Feature<P>[] }
/** The people of a grid (usernames); only staff readers get them. */
export interface GridStaff { chief?: string[]; full_time?: string[]; part_time?: string[]; police?: string[] }
export interface GridProps {
  code: string
  name: string
  type: string
  type_label: string
  community: string
  community_name: string
  households: number | null
  population: number | null
  version: number
  valid_from: string
  staff?: GridStaff
}
export type GridFeature = Feature<GridProps>
export interface GridVersion {
  version: number
  valid_from: string
  valid_to: string | null
  changed_by: string
  name: string
  type: string
  households: number | null
  population: number | null
}
export interface GridDetail extends GridFeature { versions: GridVersion[] }
export interface BoundaryProps { code: string; name: string; level: AreaLevel }
/** `GET /locate`: the grid and area a point falls in. */
export interface LocateResult {
  lon: number
  lat: number
  grid: string | null
  on_border: boolean
  area: AreaRef | null
  path: AreaRef[]
  needs_confirmation: boolean
}
export interface AddressMatchCandidate { id: number; text: string; confidence: number; grid: string | null; lon: number | null; lat: number | null }
export interface AddressMatch {
  components: { label: string; text: string; start: number; end: number }[]
  area: AreaRef | null
  candidates: AddressMatchCandidate[]
  best: number | null
  confirm_below: number
}

/** `GET /map/basemap`: the tiles under the maps, as `[map]` configures them. */
export interface Basemap {
  kind: 'none' | 'tianditu' | 'xyz' | 'wmts' | 'pmtiles'
  /** Raster layers in drawing order, each a list of `{z}/{x}/{y}` URL templates. */
  layers: string[][]
  pmtiles_url: string | null
  pmtiles_type: 'raster' | 'vector' | null
  attribution: string
  max_zoom: number
}
export interface RoadProps { name: string; points: number }

export const geoApi = {
  basemap: () => request<Basemap>('GET', '/map/basemap'),
  /** Roads sketched from the address library's points (for a map without tiles). */
  roads: (area: string) => request<FeatureCollection<RoadProps>>('GET', '/map/roads' + query({ area })),
  /** The grids in force under an area (GeoJSON, WGS84); staff get each grid's staff too. */
  grids: (area?: string) => request<FeatureCollection<GridProps>>('GET', '/grids' + query({ area })),
  grid: (code: string) => request<GridDetail>('GET', `/grids/${encodeURIComponent(code)}`),
  /** Outlines of the district, towns and communities under an area. */
  boundaries: (area?: string) => request<FeatureCollection<BoundaryProps>>('GET', '/boundaries' + query({ area })),
  locate: (lon: number, lat: number, crs: Crs = 'wgs84') => request<LocateResult>('GET', '/locate' + query({ lon, lat, crs })),
  matchAddress: (q: string, limit = 5, area?: string) =>
    request<AddressMatch>('GET', '/addresses/match' + query({ q, limit, area })),
}

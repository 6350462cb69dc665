// Deployment settings known at build time (VITE_* variables), with the demo city as default.
// TODO: read them from a server config endpoint once the API has one.
export const config = {
  /** The area code the resident portal starts its area picker from (a city). */
  cityArea: (import.meta.env.VITE_CITY_AREA as string | undefined) ?? '3710',
  /** Map centre [lon, lat] before any point is known. */
  center: ((import.meta.env.VITE_MAP_CENTER as string | undefined) ?? '122.12,37.51').split(',').map(Number) as [number, number],
  /** Optional raster tile URL template ({z}/{x}/{y}), e.g. an intranet tile server. Empty: plain background. */
  tileUrl: (import.meta.env.VITE_TILE_URL as string | undefined) ?? '',
}

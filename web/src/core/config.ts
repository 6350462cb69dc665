// Deployment settings known at build time (VITE_* variables), with the demo city as default.
// The basemap is the server's (`[map]`, GET /api/v1/map/basemap).
export const config = {
  /** The area code the resident portal starts its area picker from (a city). */
  cityArea: (import.meta.env.VITE_CITY_AREA as string | undefined) ?? '3710',
  /** Map centre [lon, lat] before any point is known. */
  center: ((import.meta.env.VITE_MAP_CENTER as string | undefined) ?? '122.12,37.51').split(',').map(Number) as [number, number],
}

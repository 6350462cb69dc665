import { describe, expect, it } from 'vitest'
import type { Basemap, BoundaryProps, FeatureCollection } from '../api'
import { areaLabels, hasTiles, labelMinZoom, rasterBasemap, tileUrl, vectorLayers } from './basemap'

const none: Basemap = { kind: 'none', layers: [], pmtiles_url: null, pmtiles_type: null, attribution: '', max_zoom: 18 }

describe('basemap', () => {
  it('tells tiles from none', () => {
    expect(hasTiles(none)).toBe(false)
    expect(hasTiles(null)).toBe(false)
    expect(hasTiles({ ...none, kind: 'xyz', layers: [['https://t/{z}/{x}/{y}.png']] })).toBe(true)
    expect(hasTiles({ ...none, kind: 'pmtiles', pmtiles_url: '/api/v1/map/basemap.pmtiles', pmtiles_type: 'vector' })).toBe(true)
  })

  it('draws 天地图 as map then labels, each a raster source', () => {
    const b: Basemap = { ...none, kind: 'tianditu', layers: [['https://t0/vec'], ['https://t0/cva']], attribution: '天地图' }
    const { sources, layers } = rasterBasemap(b, 'https://grid.city.cn')
    expect(layers.map((l) => l.id)).toEqual(['basemap-0', 'basemap-1'])
    expect(sources['basemap-1']).toMatchObject({ type: 'raster', tiles: ['https://t0/cva'], tileSize: 256, maxzoom: 18, attribution: '天地图' })
  })

  it('reads a raster PMTiles file through the pmtiles protocol on this origin', () => {
    const b: Basemap = { ...none, kind: 'pmtiles', pmtiles_url: '/api/v1/map/basemap.pmtiles', pmtiles_type: 'raster' }
    const { sources } = rasterBasemap(b, 'https://grid.city.cn')
    expect(sources['basemap-pmtiles']).toMatchObject({ url: 'pmtiles://https://grid.city.cn/api/v1/map/basemap.pmtiles' })
    // A vector file is drawn from its metadata's layers, not as raster.
    expect(rasterBasemap({ ...b, pmtiles_type: 'vector' }, 'x').layers).toEqual([])
    const v = vectorLayers('basemap-vector', ['water', 'roads'], false)
    expect(v.map((l) => l.id)).toEqual(['basemap-water-fill', 'basemap-water-line', 'basemap-roads-fill', 'basemap-roads-line'])
    expect(v[0]['source-layer']).toBe('water')
  })

  it('labels an area at the centroid of its largest polygon', () => {
    const square = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]
    const fc: FeatureCollection<BoundaryProps> = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: '371002001', name: '环翠楼街道', level: 'town' }, geometry: { type: 'MultiPolygon', coordinates: [square(0, 0, 1), square(10, 10, 4)] } },
        { type: 'Feature', properties: { code: '371002001001', name: '东北村', level: 'village' }, geometry: { type: 'Polygon', coordinates: square(2, 2, 2) } },
        { type: 'Feature', properties: { code: 'x', name: '', level: 'village' }, geometry: { type: 'Polygon', coordinates: square(0, 0, 1) } },
      ],
    }
    const labels = areaLabels(fc)
    expect(labels).toHaveLength(2)
    expect(labels[0]).toMatchObject({ name: '环翠楼街道', lon: 12, lat: 12 })
    expect(labels[1]).toMatchObject({ name: '东北村', lon: 3, lat: 3 })
    expect(labelMinZoom('town')).toBeLessThan(labelMinZoom('village'))
  })

  it('names the tile under a point', () => {
    expect(tileUrl('/t/{z}/{x}/{y}.png', 0.1, -0.1, 1)).toBe('/t/1/1/1.png')
    // 威海 at zoom 10; and 天地图's KVP form, the row before the column.
    expect(tileUrl('TILEMATRIX={z}&TILEROW={y}&TILECOL={x}', 122.12, 37.51, 10)).toBe('TILEMATRIX=10&TILEROW=396&TILECOL=859')
  })
})

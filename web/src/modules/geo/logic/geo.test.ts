import { describe, expect, it } from 'vitest'
import { i18n } from '@/core/i18n'
import type { CaseView } from '@/modules/case/api'
import { buildLocateBody } from '@/modules/case/logic/actions'
import { timelineDetails } from '@/modules/case/logic/timeline'
import type { FeatureCollection, GridProps } from '../api'
import { areaPath, countColor, countScale, featureBounds, gridLabel, legendRows, locatedText, noStaff, paintGrids, percent, SCALE_COLORS, staffText, whereText, ZERO_COLOR } from './geo'

const t = (k: string, named?: Record<string, unknown>) => i18n.global.t(k, named ?? {})

function grid(code: string, ring: number[][]): FeatureCollection<GridProps>['features'][number] {
  return {
    type: 'Feature',
    id: code,
    properties: {
      code, name: '第' + code.slice(-1) + '网格', type: 'community', type_label: '社区网格', community: code.slice(0, 12),
      community_name: '某社区', households: 100, population: 300, version: 1, valid_from: '2026-01-01T00:00:00Z',
    },
    geometry: { type: 'MultiPolygon', coordinates: [[ring]] },
  }
}

describe('count scale', () => {
  it('has one class per count up to five', () => {
    expect(countScale(0).breaks).toEqual([1])
    expect(countScale(3).breaks).toEqual([1, 2, 3])
    expect(countScale(5).breaks).toEqual([1, 2, 3, 4, 5])
  })
  it('uses round 1-2-5 steps above that', () => {
    expect(countScale(8).breaks).toEqual([1, 2, 4, 6, 8])
    expect(countScale(12).breaks).toEqual([1, 5, 10])
    expect(countScale(40).breaks).toEqual([1, 10, 20, 30, 40])
    expect(countScale(1234).breaks).toEqual([1, 500, 1000])
  })
  it('runs from light to dark whatever its length', () => {
    const s = countScale(2)
    expect(s.colors).toEqual([SCALE_COLORS[0], SCALE_COLORS[SCALE_COLORS.length - 1]])
    expect(countScale(0).colors).toEqual([SCALE_COLORS[SCALE_COLORS.length - 1]])
    expect(countScale(40).colors).toEqual(SCALE_COLORS)
  })
  it('colours a count by its class', () => {
    const s = countScale(40)
    expect(countColor(0, s)).toBe(ZERO_COLOR)
    expect(countColor(1, s)).toBe(SCALE_COLORS[0])
    expect(countColor(9, s)).toBe(SCALE_COLORS[0])
    expect(countColor(10, s)).toBe(SCALE_COLORS[1])
    expect(countColor(400, s)).toBe(SCALE_COLORS[4])
  })
  it('survives nonsense', () => {
    expect(countScale(NaN).breaks).toEqual([1])
    expect(countScale(-3).breaks).toEqual([1])
  })
  it('reads as a legend', () => {
    expect(legendRows(countScale(8)).map((r) => r.label)).toEqual(['0', '1', '2–3', '4–5', '6–7', '≥ 8'])
    expect(legendRows(countScale(3)).map((r) => r.label)).toEqual(['0', '1', '2', '≥ 3'])
    expect(legendRows(countScale(0)).map((r) => r.label)).toEqual(['0', '≥ 1'])
    expect(legendRows(countScale(8))[0].color).toBe(ZERO_COLOR)
  })
})

describe('grids on the map', () => {
  const fc: FeatureCollection<GridProps> = {
    type: 'FeatureCollection',
    features: [
      grid('371002001001001', [[122.1, 37.5], [122.2, 37.5], [122.2, 37.6], [122.1, 37.5]]),
      grid('371002001001002', [[122.0, 37.4], [122.05, 37.4], [122.05, 37.45], [122.0, 37.4]]),
    ],
  }
  it('carry their count and colour', () => {
    const p = paintGrids(fc, { '371002001001001': 4, '999': 100 })
    expect(p.fc.features.map((f) => f.properties.open)).toEqual([4, 0])
    expect(p.total).toBe(4)
    expect(p.scale.breaks).toEqual([1, 2, 3, 4])
    expect(p.fc.features[0].properties.color).toBe(SCALE_COLORS[4])
    expect(p.fc.features[1].properties.color).toBe(ZERO_COLOR)
    expect(p.fc.features[0].geometry).toBe(fc.features[0].geometry)
    expect(paintGrids(null, null).fc.features).toEqual([])
  })
  it('have bounds', () => {
    expect(featureBounds(fc)).toEqual([[122.0, 37.4], [122.2, 37.6]])
    expect(featureBounds({ features: [] })).toBeNull()
    expect(featureBounds({ features: [{ geometry: null }] })).toBeNull()
  })
  it('name their staff', () => {
    expect(staffText(['wang', 'li'])).toBe('wang、li')
    expect(staffText([])).toBe('—')
    expect(staffText(undefined)).toBe('—')
    expect(noStaff({ chief: [], full_time: [], part_time: [], police: [] })).toBe(true)
    expect(noStaff({ chief: ['wang'] })).toBe(false)
    expect(noStaff(undefined)).toBe(true)
    expect(gridLabel('371002001001001', '第1网格')).toBe('第1网格（371002001001001）')
    expect(gridLabel('371002001001001')).toBe('371002001001001')
    expect(gridLabel(null)).toBe('')
  })
})

describe('how a case was placed', () => {
  const c = (located_by: CaseView['located_by'], located: CaseView['located']) => ({ located_by, located })
  it('by its point, on a border, from another datum', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(locatedText(t, c('point', { method: 'point', crs: 'wgs84' }))).toBe('按坐标落格')
    expect(locatedText(t, c('point', { method: 'point', crs: 'gcj02', on_border: true }))).toBe('按坐标落格 · 原坐标系 GCJ02 · 位于网格交界处')
  })
  it('by an address with its confidence', () => {
    expect(locatedText(t, c('address', { method: 'address', matched_address: '统一路10号', confidence: 0.816 }))).toBe('按地址匹配 · 统一路10号 · 置信度 82%')
    expect(locatedText(t, c('address', { method: 'address', needs_confirmation: true }))).toBe('按地址匹配 · 未能确定标准地址')
  })
  it('by the area, by a person, or not at all', () => {
    expect(locatedText(t, c('area', { method: 'area' }))).toBe('仅有区域')
    expect(locatedText(t, c('person', { method: 'address', matched_address: '统一路10号', confidence: 0.5 }))).toBe(
      '人工确认 · 上报时：按地址匹配 · 统一路10号 · 置信度 50%',
    )
    expect(locatedText(t, c(null, null))).toBe('未定位')
  })
  it('in English too', () => {
    i18n.global.locale.value = 'en'
    expect(locatedText(t, c('point', { method: 'point', on_border: true }))).toBe('By its point · on a grid border')
    i18n.global.locale.value = 'zh-CN'
  })
  it('as percentages', () => {
    expect(percent(0.5)).toBe('50%')
    expect(percent(1)).toBe('100%')
    expect(percent(null)).toBe('')
  })
})

describe('where a point falls', () => {
  const path = [
    { code: '37', name: '山东省', level: 'province' as const },
    { code: '3710', name: '威海市', level: 'city' as const },
    { code: '371002', name: '环翠区', level: 'county' as const },
    { code: '371002001', name: '环翠楼街道', level: 'town' as const },
    { code: '371002001001', name: '某社区', level: 'village' as const },
  ]
  it('names the areas from the district down and the grid', () => {
    expect(areaPath(path)).toBe('环翠区 / 环翠楼街道 / 某社区')
    expect(whereText(t, { grid: '371002001001001', path, on_border: false }, '第1网格')).toBe('环翠区 / 环翠楼街道 / 某社区 · 第1网格（371002001001001）')
    expect(whereText(t, { grid: '371002001001001', path, on_border: true })).toBe('环翠区 / 环翠楼街道 / 某社区 · 371002001001001 · 位于网格交界处')
    expect(whereText(t, { grid: null, path: path.slice(0, 4), on_border: false })).toBe('环翠区 / 环翠楼街道 · 未落入网格')
  })
})

describe('the locate action', () => {
  it('sends a grid, a point or both, and the note', () => {
    expect(buildLocateBody({ grid: ' 371002001001001 ', point: null, note: '' })).toEqual({ ok: true, body: { grid: '371002001001001' } })
    expect(buildLocateBody({ grid: '', point: { lon: 122.1, lat: 37.5 }, note: ' 电话核实 ' })).toEqual({
      ok: true,
      body: { location: { lon: 122.1, lat: 37.5, crs: 'wgs84' }, note: '电话核实' },
    })
    expect(buildLocateBody({ grid: '371002001001001', point: { lon: 122.1, lat: 37.5 }, note: '' })).toMatchObject({
      ok: true,
      body: { grid: '371002001001001', location: { lon: 122.1, lat: 37.5 } },
    })
  })
  it('needs one of them', () => {
    expect(buildLocateBody({ grid: ' ', point: null, note: 'x' })).toEqual({ ok: false, field: 'grid' })
    expect(buildLocateBody({ grid: '', point: { lon: NaN, lat: 37 }, note: '' })).toEqual({ ok: false, field: 'grid' })
  })
  it('shows in the timeline', () => {
    const d = timelineDetails({ seq: 2, at: '', actor: { kind: 'user', name: 'x' }, type: 'located', data: { area: '371002001001', grid: '371002001001002', location: { lon: 122.1, lat: 37.5 }, note: '电话核实' } })
    expect(d.map((x) => [x.key, x.value])).toEqual([['note', '电话核实'], ['grid', '371002001001002']])
    const a = timelineDetails({ seq: 2, at: '', actor: { kind: 'user', name: 'x' }, type: 'located', data: { area: '371002001001' } })
    expect(a.map((x) => [x.key, x.value])).toEqual([['area', '371002001001']])
  })
})

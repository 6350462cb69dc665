import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/core/i18n'
import type { CaseView } from '@/modules/case/api'
import LocateDialog from './LocateDialog.vue'

// A hotline case whose address matched two standard addresses, neither surely.
const kase = {
  id: 'c9',
  code: '20261123000409',
  category: { code: '0102', name: '暴露垃圾', name_en: 'Exposed rubbish' },
  area_code: '371002001',
  area: [
    { code: '37', name: '山东省', level: 'province' },
    { code: '3710', name: '威海市', level: 'city' },
    { code: '371002', name: '环翠区', level: 'county' },
    { code: '371002001', name: '环翠楼街道', level: 'town' },
  ],
  owner_area: { code: '371002001', name: '环翠楼街道', level: 'town' },
  location: null,
  grid: null,
  address: '统一路海景花园',
  located_by: 'address',
  located: {
    method: 'address',
    needs_confirmation: true,
    candidates: [
      { id: 11, text: '环翠区环翠楼街道统一路10号海景花园1号楼1单元', confidence: 0.62 },
      { id: 12, text: '环翠区环翠楼街道统一路22号海景小区1号楼1单元', confidence: 0.41 },
    ],
  },
  needs_location_confirmation: true,
  allowed_actions: ['locate'],
} as unknown as CaseView

const grids = {
  type: 'FeatureCollection',
  features: ['371002001001001', '371002001002001'].map((code) => ({
    type: 'Feature',
    id: code,
    properties: { code, name: '第1网格', type: 'community', type_label: '社区网格', community: code.slice(0, 12), community_name: '社区', households: 1, population: 2, version: 1, valid_from: '' },
    geometry: { type: 'MultiPolygon', coordinates: [[[[122.1, 37.5], [122.2, 37.5], [122.2, 37.6], [122.1, 37.5]]]] },
  })),
}

function json(body: unknown, status = 200) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('LocateDialog', () => {
  it('offers the address candidates with their grid and point, and posts the chosen one', async () => {
    const calls: [string, RequestInit | undefined][] = []
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      calls.push([url, init])
      if (url.startsWith('/api/v1/grids')) return json(grids)
      if (url.startsWith('/api/v1/addresses/match')) {
        return json({
          components: [], area: null, best: null, confirm_below: 0.75,
          candidates: [
            { id: 12, text: '…', confidence: 0.41, grid: '371002001002001', lon: 122.13, lat: 37.52 },
            { id: 11, text: '…', confidence: 0.62, grid: '371002001001001', lon: 122.1100000412, lat: 37.51 },
          ],
        })
      }
      return json({ ...kase, grid: '371002001001001', needs_location_confirmation: false, located_by: 'person' })
    })
    const w = mount(LocateDialog, { props: { case: kase, open: true }, global: { plugins: [i18n, ElementPlus] }, attachTo: document.body })
    await flushPromises()
    expect(calls.some(([u]) => u === '/api/v1/grids?area=371002001')).toBe(true)
    expect(calls.some(([u]) => u.startsWith('/api/v1/addresses/match?q=%E7%BB%9F'))).toBe(true)
    const first = document.querySelector('[data-testid="candidate-11"]') as HTMLButtonElement
    expect(first.textContent).toContain('海景花园')
    expect(first.textContent).toContain('62%')
    first.click()
    await flushPromises()
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    const post = calls.find(([u]) => u.endsWith('/actions/locate'))
    expect(post).toBeTruthy()
    expect(JSON.parse(post![1]!.body as string)).toEqual({ grid: '371002001001001', location: { lon: 122.11, lat: 37.51, crs: 'wgs84' } })
    expect(w.emitted('done')).toHaveLength(1)
    w.unmount()
  })

  it('asks for a grid or a point before sending', async () => {
    const calls: string[] = []
    vi.stubGlobal('fetch', (url: string) => {
      calls.push(url)
      if (url.startsWith('/api/v1/grids')) return json(grids)
      return json({ components: [], area: null, candidates: [], best: null, confirm_below: 0.75 })
    })
    const w = mount(LocateDialog, { props: { case: kase, open: true }, global: { plugins: [i18n, ElementPlus] }, attachTo: document.body })
    await flushPromises()
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(document.querySelector('[data-testid="action-error"]')?.textContent).toContain('请选择网格')
    expect(calls.some((u) => u.includes('/actions/'))).toBe(false)
    w.unmount()
  })

  it('finds a typed address in the town, then anywhere, and takes its grid and point', async () => {
    const calls: [string, RequestInit | undefined][] = []
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      calls.push([url, init])
      if (url.startsWith('/api/v1/grids')) return json(grids)
      if (url.startsWith('/api/v1/addresses/match') && url.includes('q=%E6%96%B0%E5%A8%81')) {
        // 新威路16号: none in the town, one elsewhere.
        const candidates = url.includes('area=') ? [] : [{ id: 31, text: '环翠区新威路16号金海湾小区1号楼', confidence: 0.91, grid: '371002001002001', lon: 122.12, lat: 37.5 }]
        return json({ components: [], area: null, best: 0, confirm_below: 0.75, candidates })
      }
      if (url.startsWith('/api/v1/addresses/match')) return json({ components: [], area: null, best: null, confirm_below: 0.75, candidates: [] })
      return json({ ...kase, grid: '371002001002001', needs_location_confirmation: false, located_by: 'person' })
    })
    const w = mount(LocateDialog, { props: { case: { ...kase, located: null }, open: true }, global: { plugins: [i18n, ElementPlus] }, attachTo: document.body })
    await flushPromises()
    const input = document.querySelector('[data-testid="locate-search"] input, input[data-testid="locate-search"]') as HTMLInputElement
    input.value = '新威路16号'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    ;(document.querySelector('[data-testid="locate-search-go"]') as HTMLButtonElement).click()
    await flushPromises()
    const asked = calls.map(([u]) => u).filter((u) => u.startsWith('/api/v1/addresses/match'))
    expect(asked).toHaveLength(2)
    expect(asked[0]).toContain('area=371002001')
    ;(document.querySelector('[data-testid="candidate-31"]') as HTMLButtonElement).click()
    await flushPromises()
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    const post = calls.find(([u]) => u.endsWith('/actions/locate'))
    expect(JSON.parse(post![1]!.body as string)).toEqual({ grid: '371002001002001', location: { lon: 122.12, lat: 37.5, crs: 'wgs84' } })
    w.unmount()
  })
})

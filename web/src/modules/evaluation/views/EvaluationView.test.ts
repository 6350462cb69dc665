import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/core/i18n'
import { fmtTime } from '@/core/logic/format'
import EvaluationView from './EvaluationView.vue'

const counts = {
  dispatched: 10, responded: 9, due: 8, on_time: 7, closed: 8, resolved: 7, rated: 6, satisfied: 5, reopened: 1, returned: 1,
  sent: 12, accurate: 9, suspended: 2, first_fix: 6, participated: 4,
}
const figures = (f: number) => ({
  counts,
  rates: {
    response: 0.9 * f, on_time: 0.875 * f, resolution: 0.875, satisfaction: null, reopen: 0.125, return: 0.1,
    accuracy: 0.75, suspension: 0.2, first_fix: 0.75, participation: 0.5,
  },
  avg_hours: { accept: 1.2, dispatch: 0.5, handle: 30.14, verify: null },
})
const evaluation = (q: URLSearchParams) => ({
  period: { from: q.get('from'), to: q.get('to') },
  by: q.get('by'),
  weights: { response: 0.15, on_time: 0.3, resolution: 0.2, satisfaction: 0.25, reopen: 0.05, return: 0.05, accuracy: 0, suspension: 0, first_fix: 0, participation: 0 },
  rows: [
    { rank: 2, unit: { id: 'wh-water', name: '水务集团' }, score: 81.25, ...figures(0.8) },
    { rank: 1, unit: { id: 'wh-urban', name: '城管局' }, score: 92.5, ...figures(1) },
    { rank: null, unit: { id: 'wh-gas', name: '燃气公司' }, score: null, ...figures(0.5) },
    { rank: null, unit: { id: 'wh-heat', name: '热电公司' }, score: null, thin: ['on_time', 'satisfaction'], ...figures(1) },
  ],
  rules: { min_cases: 5 },
  provisional,
  final_at: '2026-12-07T16:00:00Z',
  total: figures(0.9),
})
let provisional = false

let urls: string[]
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-11-23T10:00:00+08:00'))
  i18n.global.locale.value = 'zh-CN'
  urls = []
  provisional = false
  vi.stubGlobal('fetch', (url: string) => {
    urls.push(url)
    const u = new URL(url, 'http://x')
    const body = u.pathname === '/api/v1/evaluation/cases'
      ? { items: [{ id: 'c1', code: '20261123000042', category: '0102', state: 'closed', area: '371002001001', created_at: '2026-11-02T10:00:00+08:00' }], count: 4 }
      : u.pathname === '/api/v1/evaluation/method'
        ? { version: '0123456789abcdef', title: '考核办法', rank_rules: { min_cases: 5 }, rules: ['超期在期限到达时即认定'],
            count_rules: { follow_up_days: 7, default_satisfied_days: null, town: 'location', community: 'location' },
            limits: { max_extensions: 2, max_extension_days: 30, max_suspension_days: null },
            rates: [{ metric: 'on_time', name: '按期办结率', weight: 0.3, lower_is_better: false, numerator: '在有效期限内办结的处置', denominator: '应办结的处置', counted: '超期在期限到达时即认定' }] }
        : evaluation(u.searchParams)
    return Promise.resolve(new Response(JSON.stringify(body)))
  })
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

async function mountView(path = '/evaluation') {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/evaluation', component: EvaluationView }] })
  await router.push(path)
  const w = mount(EvaluationView, { global: { plugins: [i18n, ElementPlus, router], stubs: { EChart: true } }, attachTo: document.body })
  await flushPromises()
  return { w, router }
}

describe('EvaluationView', () => {
  it('opens the published method', async () => {
    const { w } = await mountView()
    await w.get('[data-testid=eval-method-open]').trigger('click')
    await flushPromises()
    expect(urls).toContain('/api/v1/evaluation/method')
    expect(document.querySelector('[data-testid=eval-method-rates]')?.textContent).toContain('按期办结率')
    expect(document.querySelector('[data-testid=eval-method-rates]')?.textContent).toContain('30%')
    expect(document.querySelector('[data-testid=eval-method-rules]')?.textContent).toContain('超期在期限到达时即认定')
    expect(document.querySelector('[data-testid=eval-method-version]')?.textContent).toContain('0123456789abcdef')
    expect(document.querySelector('[data-testid=eval-fact-follow_up_days]')?.textContent).toBe('7 天')
    expect(document.querySelector('[data-testid=eval-fact-max_suspension_days]')?.textContent).toBe('不限')
    expect(document.querySelector('[data-testid=eval-method-printable]')?.getAttribute('href')).toBe('/evaluation/method')
    w.unmount()
  })

  it('marks a unit with too few cases instead of ranking it', async () => {
    const { w } = await mountView()
    expect(w.find('[data-testid=eval-thin-wh-heat]').text()).toBe('样本不足')
    expect(w.find('[data-testid=eval-thin-wh-gas]').exists()).toBe(false)
    expect(w.find('[data-testid=eval-row-wh-heat]').attributes('data-rank')).toBe('')
  })

  it('asks for this month by department and ranks the units', async () => {
    const { w, router } = await mountView()
    expect(urls[0]).toBe('/api/v1/evaluation?from=2026-11-01&to=2026-11-23&by=department')
    expect(router.currentRoute.value.query).toMatchObject({ from: '2026-11-01', to: '2026-11-23', by: 'department' })
    const names = w.findAll('[data-testid^=eval-row-]').map((x) => x.text())
    expect(names).toEqual(['城管局', '水务集团', '燃气公司', '热电公司'])
    expect(w.get('[data-testid=eval-score-wh-urban]').text()).toBe('92.5')
    expect(w.get('[data-testid=eval-score-wh-gas]').text()).toBe('—')
    expect(w.get('[data-testid=eval-rate-wh-urban-on_time]').text()).toBe('87.5%')
    expect(w.get('[data-testid=eval-rate-wh-urban-satisfaction]').text()).toBe('—')
    expect(w.get('[data-testid=eval-total-on_time]').text()).toContain('78.8%')
    expect(w.get('[data-testid=eval-total-hours]').text()).toContain('30.1')
    expect(w.get('[data-testid=eval-weights]').text()).toContain('按期办结率 30%')
    expect(w.get('[data-testid=eval-export]').attributes('href')).toBe('/api/v1/evaluation/export.xlsx?from=2026-11-01&to=2026-11-23&by=department')
    w.unmount()
  })

  it('follows the quick picks and the grouping', async () => {
    const { w } = await mountView('/evaluation?by=town')
    expect(urls.at(-1)).toBe('/api/v1/evaluation?from=2026-11-01&to=2026-11-23&by=town')
    await w.get('[data-testid=eval-quick-lastMonth] input').setValue(true)
    await flushPromises()
    expect(urls.at(-1)).toBe('/api/v1/evaluation?from=2026-10-01&to=2026-10-31&by=town')
    await w.get('[data-testid=eval-by-grid] input').setValue(true)
    await flushPromises()
    expect(urls.at(-1)).toBe('/api/v1/evaluation?from=2026-10-01&to=2026-10-31&by=grid')
    w.unmount()
  })

  it('drills into the late cases behind 按期办结率', async () => {
    const { w } = await mountView()
    await w.get('[data-testid=eval-rate-wh-urban-on_time]').trigger('click')
    await flushPromises()
    expect(urls.at(-1)).toBe('/api/v1/evaluation/cases?from=2026-11-01&to=2026-11-23&by=department&unit=wh-urban&metric=on_time&outcome=miss')
    const dialog = document.querySelector('[data-testid=eval-drill]') as HTMLElement
    expect(dialog.textContent).toContain('城管局 · 按期办结率')
    expect(dialog.querySelector('[data-testid=eval-drill-count]')?.textContent).toContain('显示 1 / 4 件')
    const link = dialog.querySelector('[data-testid=eval-case-20261123000042]') as HTMLAnchorElement
    expect(link.getAttribute('href')).toBe('/workbench?case=c1')
    ;(dialog.querySelector('[data-testid=eval-outcome-all] input') as HTMLInputElement).click()
    await flushPromises()
    expect(urls.at(-1)).toContain('metric=on_time&outcome=all')
    w.unmount()
  })

  it('shows the four rates beside the six, drillable, with their counts', async () => {
    const { w } = await mountView()
    expect(w.get('[data-testid=eval-table]').text()).toContain('其他指标')
    expect(w.get('[data-testid=eval-rate-wh-urban-accuracy]').text()).toBe('75.0%')
    expect(w.get('[data-testid=eval-rate-wh-urban-suspension]').text()).toBe('20.0%')
    expect(w.get('[data-testid=eval-total-participation]').text()).toContain('4 / 8')
    expect(w.get('[data-testid=eval-total-suspension]').classes()).toContain('lower')
    // the weights line names only the rates of the score
    expect(w.get('[data-testid=eval-weights]').text()).not.toContain('派单准确率')
    await w.get('[data-testid=eval-rate-wh-urban-suspension]').trigger('click')
    await flushPromises()
    expect(urls.at(-1)).toContain('unit=wh-urban&metric=suspension&outcome=hit')
    await w.get('[data-testid=eval-rate-wh-water-accuracy]').trigger('click')
    await flushPromises()
    expect(urls.at(-1)).toContain('unit=wh-water&metric=accuracy&outcome=miss')
    w.unmount()
  })

  it('says the figures are provisional only while they are', async () => {
    const final = await mountView()
    expect(final.w.find('[data-testid=eval-provisional]').exists()).toBe(false)
    final.w.unmount()
    provisional = true
    const { w } = await mountView()
    const alert = w.get('[data-testid=eval-provisional]')
    expect(alert.text()).toContain('暂定数据：回访期内的重办和评价仍会计入')
    expect(alert.text()).toContain(fmtTime('2026-12-07T16:00:00Z', 'zh-CN') + ' 后定稿')
    expect(alert.attributes('data-final-at')).toBe('2026-12-07T16:00:00Z')
    w.unmount()
  })

  it('drills into the reopened cases behind 重办率', async () => {
    const { w } = await mountView()
    await w.get('[data-testid=eval-rate-wh-water-reopen]').trigger('click')
    await flushPromises()
    expect(urls.at(-1)).toContain('unit=wh-water&metric=reopen&outcome=hit')
    w.unmount()
  })
})

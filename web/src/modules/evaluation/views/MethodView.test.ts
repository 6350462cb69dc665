import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/core/i18n'
import { routes } from '../routes'
import MethodView from './MethodView.vue'

const rate = (metric: string, name: string, weight: number, lower = false) => ({
  metric, name, weight, lower_is_better: lower, numerator: name + '的分子', denominator: name + '的分母', counted: '按办结时间计入其所在考核期',
})
const method = {
  version: '0123456789abcdef',
  title: '考核办法',
  rank_rules: { min_cases: 5 },
  count_rules: { follow_up_days: 7, default_satisfied_days: 3, town: 'location', community: 'responsibility' },
  limits: { max_extensions: 2, max_extension_days: null, max_suspension_days: 30 },
  rates: [rate('on_time', '按期办结率', 0.3), rate('suspension', '挂起率', 0, true), rate('participation', '参评率', 0)],
  rules: ['每件工单在每个考核对象的每项指标中只计一次，取其在期内最差的一次。', '回访期为办结后 7 天。'],
}

let urls: string[]
beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  urls = []
  vi.stubGlobal('fetch', (url: string) => {
    urls.push(url)
    return Promise.resolve(new Response(JSON.stringify(method)))
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

async function mountView() {
  const w = mount(MethodView, { global: { plugins: [i18n, ElementPlus] }, attachTo: document.body })
  await flushPromises()
  return w
}

describe('MethodView', () => {
  it('is a page for anyone signed in, outside the menu', () => {
    const r = routes.find((x) => x.path === '/evaluation/method')
    expect(r?.meta).toMatchObject({ layout: 'staff', signedIn: true })
    expect(r?.meta?.screen).toBeUndefined()
  })

  it('prints the rates, the count rules, the limits and the numbered rules', async () => {
    const w = await mountView()
    expect(urls).toEqual(['/api/v1/evaluation/method'])
    expect(w.get('[data-testid=eval-method-title]').text()).toBe('考核办法')
    expect(w.get('[data-testid=eval-method-version]').text()).toContain('0123456789abcdef')
    const rows = w.findAll('[data-testid=eval-method-page-rates] tbody tr')
    expect(rows.map((r) => r.attributes('data-metric'))).toEqual(['on_time', 'suspension', 'participation'])
    expect(rows[0].text()).toContain('按期办结率')
    expect(rows[0].text()).toContain('30%')
    expect(rows[0].text()).toContain('按期办结率的分子')
    expect(rows[0].text()).toContain('按办结时间计入其所在考核期')
    expect(rows[1].text()).toContain('↓')
    expect(rows[1].text()).toContain('只展示，不计分')
    expect(w.get('[data-testid=eval-fact-follow_up_days]').text()).toBe('7 天')
    expect(w.get('[data-testid=eval-fact-default_satisfied_days]').text()).toBe('办结后 3 天内未评价的按满意计')
    expect(w.get('[data-testid=eval-fact-community]').text()).toBe('按各环节的责任中心')
    expect(w.get('[data-testid=eval-fact-max_extensions]').text()).toBe('2 次')
    expect(w.get('[data-testid=eval-fact-max_extension_days]').text()).toBe('不限')
    expect(w.get('[data-testid=eval-fact-max_suspension_days]').text()).toBe('30 天')
    expect(w.get('[data-testid=eval-fact-min_cases]').text()).toBe('5 件')
    const rules = w.findAll('[data-testid=eval-method-page-rules] li')
    expect(rules.map((r) => r.text())).toEqual(method.rules)
    expect(w.get('[data-testid=eval-method-page-rules]').element.tagName).toBe('OL')
    w.unmount()
  })

  it('prints through the browser, with the button left off the paper', async () => {
    const print = vi.fn()
    vi.stubGlobal('print', print)
    const w = await mountView()
    const button = w.get('[data-testid=eval-method-print]')
    expect(button.text()).toContain('打印')
    expect(button.element.closest('.no-print')).not.toBeNull()
    await button.trigger('click')
    expect(print).toHaveBeenCalledTimes(1)
    w.unmount()
  })

  it("shows the API's error", async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'sign in', field: null } }), { status: 401 })))
    const w = await mountView()
    expect(w.find('[data-testid=eval-method-error]').exists()).toBe(true)
    expect(w.find('[data-testid=eval-method-page-rates]').exists()).toBe(false)
    w.unmount()
  })
})

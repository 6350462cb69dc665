import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/core/i18n'
import WorkbenchView from './WorkbenchView.vue'

const area = [{ code: '371002001', name: '环翠楼街道', level: 'town' }]
const kase = (n: number, card: 'red' | 'yellow' | null) => ({
  id: 'c' + n, code: '2026112300004' + n, title: '工单' + n, description: '', category: { code: '0102', name: '暴露垃圾', name_en: '' },
  state: 'dispatched', area, supervised: false, needs_location_confirmation: false, created_at: '2026-11-20T10:00:00+08:00',
  card,
  deadline: card ? { step: 'handle', started: '2026-11-20T10:00:00+08:00', warn: '2026-11-22T10:00:00+08:00', due: card === 'red' ? '2026-11-23T08:00:00+08:00' : '2026-11-24T10:00:00+08:00', limit: { amount: 3, unit: 'working_days' }, weekends_only: false, paused_at: null } : null,
})
const all = [kase(1, 'red'), kase(2, 'yellow'), kase(3, null)]
let urls: string[]
let cardsAnswer: () => Response

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-11-23T10:00:00+08:00'))
  i18n.global.locale.value = 'zh-CN'
  urls = []
  cardsAnswer = () => new Response(JSON.stringify({ red: 1, yellow: 1 }))
  vi.stubGlobal('fetch', (url: string) => {
    urls.push(url)
    const u = new URL(url, 'http://x')
    // the server counts a tracking code's one case (or none), as the list answers it
    const code = u.searchParams.get('q')
    const byCode = code && /^\d{14,}$/.test(code) ? all.filter((c) => c.code === code) : null
    if (u.pathname === '/api/v1/cases/counts/cards') {
      if (byCode) return Promise.resolve(new Response(JSON.stringify({ red: byCode.filter((c) => c.card === 'red').length, yellow: byCode.filter((c) => c.card === 'yellow').length })))
      return Promise.resolve(cardsAnswer())
    }
    if (u.pathname === '/api/v1/cases/counts') {
      const n = byCode ? byCode.length : 3
      return Promise.resolve(new Response(JSON.stringify({ total: n, by_state: n ? { dispatched: n } : {} })))
    }
    if (u.pathname === '/api/v1/cases') {
      const card = u.searchParams.get('card')
      const q = u.searchParams.get('q')
      // a code answers its case alone; a keyword the titles that have it
      const found = (c: (typeof all)[number]) => !q || c.code === q || (!/^\d{14,}$/.test(q) && c.title.includes(q))
      return Promise.resolve(new Response(JSON.stringify({ items: all.filter((c) => (!card || c.card === card) && found(c)), next_cursor: null })))
    }
    return Promise.resolve(new Response('[]'))
  })
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

async function mountView(path = '/workbench') {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/workbench', component: WorkbenchView }] })
  await router.push(path)
  const w = mount(WorkbenchView, { global: { plugins: [i18n, ElementPlus, router], stubs: { CaseDetail: true } }, attachTo: document.body })
  await flushPromises()
  return { w, router }
}

describe('WorkbenchView cards', () => {
  it('marks the rows and counts the cards', async () => {
    const { w } = await mountView()
    expect(w.get('[data-testid=card-20261123000041]').attributes('data-card')).toBe('red')
    expect(w.get('[data-testid=card-20261123000042]').attributes('data-card')).toBe('yellow')
    expect(w.find('[data-testid=card-20261123000043]').exists()).toBe(false)
    expect(w.get('[data-testid=card-chip-red]').text()).toBe('超期 1')
    expect(w.get('[data-testid=card-chip-yellow]').text()).toBe('预警 1')
    expect(urls).toContain('/api/v1/cases/counts/cards')
    w.unmount()
  })

  it('filters by a card from its chip and from the address', async () => {
    const { w, router } = await mountView()
    await w.get('[data-testid=card-chip-red]').trigger('click')
    await flushPromises()
    expect(urls.some((u) => u.startsWith('/api/v1/cases?card=red'))).toBe(true)
    // the counts of the cards ignore the card filter itself
    expect(urls.filter((u) => u.startsWith('/api/v1/cases/counts/cards')).every((u) => !u.includes('card='))).toBe(true)
    expect(router.currentRoute.value.query.card).toBe('red')
    expect(w.findAll('[data-testid^=row-]')).toHaveLength(1)
    expect(w.get('[data-testid=card-chip-red]').classes()).toContain('on')
    await w.get('[data-testid=card-chip-red]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query.card).toBeUndefined()
    expect(w.findAll('[data-testid^=row-]')).toHaveLength(3)
    w.unmount()
    const again = await mountView('/workbench?card=yellow')
    expect(urls.some((u) => u.startsWith('/api/v1/cases?card=yellow'))).toBe(true)
    expect(again.w.findAll('[data-testid^=row-]')).toHaveLength(1)
    again.w.unmount()
  })

  it('leaves the chips out when the server has no card counts', async () => {
    cardsAnswer = () => new Response(JSON.stringify({ error: { code: 'not_found', message: 'no route', field: null } }), { status: 404 })
    const { w } = await mountView()
    expect(w.find('[data-testid=card-chip-red]').exists()).toBe(false)
    expect(w.findAll('[data-testid^=row-]')).toHaveLength(3)
    w.unmount()
  })
})

describe('WorkbenchView search', () => {
  const search = async (w: Awaited<ReturnType<typeof mountView>>['w'], text: string) => {
    await w.get('input[data-testid=queue-search]').setValue(text)
    await w.get('input[data-testid=queue-search]').trigger('keyup', { key: 'Enter' })
    await flushPromises()
  }

  it('searches on Enter, keeps q in the address and passes it to the list and the counts', async () => {
    const { w, router } = await mountView()
    expect(w.get('input[data-testid=queue-search]').attributes('placeholder')).toBe('工单编号 / 来电号码 / 网格编码 / 关键词')
    urls = []
    await search(w, '  工单 ')
    expect(router.currentRoute.value.query.q).toBe('工单')
    const q = 'q=' + encodeURIComponent('工单')
    expect(urls.some((u) => u.startsWith('/api/v1/cases?' + q))).toBe(true)
    expect(urls.some((u) => u.startsWith('/api/v1/cases/counts?' + q))).toBe(true)
    expect(urls.some((u) => u.startsWith('/api/v1/cases/counts/cards?' + q))).toBe(true)
    expect(w.findAll('[data-testid^=row-]')).toHaveLength(3)
    // a keyword's one answer stays in the list
    await search(w, '工单2')
    expect(w.findAll('[data-testid^=row-]')).toHaveLength(1)
    expect(router.currentRoute.value.query.case).toBeUndefined()
    // the search button too, and clearing drops q
    await w.get('input[data-testid=queue-search]').setValue('')
    await w.get('[data-testid=queue-search-go]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query.q).toBeUndefined()
    expect(w.findAll('[data-testid^=row-]')).toHaveLength(3)
    w.unmount()
  })

  it('opens the case of a tracking code at once, with the counts the server gives of it', async () => {
    const { w, router } = await mountView('/workbench?state=dispatched')
    urls = []
    await search(w, '2026 1123 000042')
    expect(router.currentRoute.value.query).toMatchObject({ q: '20261123000042', case: 'c2', state: 'dispatched' })
    // the counts are asked with the code like any other filter
    expect(urls.some((u) => u.startsWith('/api/v1/cases/counts?q=20261123000042'))).toBe(true)
    expect(urls.some((u) => u.startsWith('/api/v1/cases/counts/cards?q=20261123000042'))).toBe(true)
    expect(w.findAll('[data-testid^=row-]')).toHaveLength(1)
    expect(w.get('[data-testid=count-total]').text()).toBe('1')
    expect(w.get('[data-testid=card-chip-yellow]').text()).toBe('预警 1')
    expect(w.get('[data-testid=card-chip-red]').text()).toBe('超期 0')
    w.unmount()
  })

  it('reads the search from the address', async () => {
    const { w } = await mountView('/workbench?q=' + encodeURIComponent('工单3'))
    expect((w.get('input[data-testid=queue-search]').element as HTMLInputElement).value).toBe('工单3')
    expect(urls.some((u) => u.startsWith('/api/v1/cases?q=' + encodeURIComponent('工单3')))).toBe(true)
    expect(w.findAll('[data-testid^=row-]')).toHaveLength(1)
    w.unmount()
  })

  it('says when nothing matched, in Chinese and English', async () => {
    const { w } = await mountView()
    expect(w.find('[data-testid=queue-no-match]').exists()).toBe(false)
    await search(w, '路灯')
    expect(w.findAll('[data-testid^=row-]')).toHaveLength(0)
    expect(w.get('[data-testid=queue-no-match]').text()).toContain('没有与“路灯”匹配的工单')
    i18n.global.locale.value = 'en'
    await flushPromises()
    expect(w.get('[data-testid=queue-no-match]').text()).toContain('No case matches “路灯”')
    w.unmount()
  })
})

describe('WorkbenchView deadline column', () => {
  it('shows the due moment and the time left on every running deadline, red when overdue', async () => {
    const { w } = await mountView()
    const red = w.get('[data-testid=deadline-20261123000041]')
    expect(red.attributes('data-tone')).toBe('red')
    expect(red.text()).toContain('11月23日 08:00')
    expect(red.text()).toContain('已超期 2小时')
    expect(red.find('[data-testid=card-20261123000041]').exists()).toBe(true)
    const yellow = w.get('[data-testid=deadline-20261123000042]')
    expect(yellow.attributes('data-tone')).toBe('yellow')
    expect(yellow.text()).toContain('剩余 1天')
    expect(w.get('[data-testid=deadline-20261123000043]').text()).toBe('—')
    w.unmount()
  })
})

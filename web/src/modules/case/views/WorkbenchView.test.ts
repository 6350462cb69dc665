import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Role } from '@/core/api'
import { i18n } from '@/core/i18n'
import { user } from '@/core/session'
import { resetAwaiting } from '../awaiting'
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
let awaitingAnswer: { review: number; extension: number; suspension: number; verify: number; total: number }

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-11-23T10:00:00+08:00'))
  i18n.global.locale.value = 'zh-CN'
  urls = []
  cardsAnswer = () => new Response(JSON.stringify({ red: 1, yellow: 1 }))
  awaitingAnswer = { review: 2, extension: 1, suspension: 0, verify: 3, total: 6 }
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
    if (u.pathname.startsWith('/api/v1/grids/')) return Promise.resolve(new Response(JSON.stringify({ type: 'Feature', properties: { code: '371002001001001', name: '第一网格' }, geometry: null })))
    if (u.pathname === '/api/v1/cases/counts/awaiting') return Promise.resolve(new Response(JSON.stringify(awaitingAnswer)))
    if (u.pathname === '/api/v1/cases/counts') {
      if (u.searchParams.get('supervised') === 'true') return Promise.resolve(new Response(JSON.stringify({ total: 4, by_state: { dispatched: 4 } })))
      const n = byCode ? byCode.length : 3
      return Promise.resolve(new Response(JSON.stringify({ total: n, by_state: n ? { dispatched: n } : {} })))
    }
    if (u.pathname === '/api/v1/cases') {
      const card = u.searchParams.get('card')
      const q = u.searchParams.get('q')
      // a code answers its case alone; a keyword the titles that have it
      const found = (c: (typeof all)[number]) => !q || c.code === q || (!/^\d{14,}$/.test(q) && c.title.includes(q))
      // the second case waits for the review of its return
      const waits = (c: (typeof all)[number]) => !u.searchParams.get('awaiting') || c.id === 'c2'
      return Promise.resolve(new Response(JSON.stringify({ items: all.filter((c) => (!card || c.card === card) && found(c) && waits(c)), next_cursor: null })))
    }
    return Promise.resolve(new Response('[]'))
  })
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  user.value = null
  resetAwaiting()
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

describe('WorkbenchView quick views', () => {
  const signIn = (role: Role) => (user.value = { id: 'u-' + role, username: role, display_name: '张三', role, scope: '3710', department: role === 'department_handler' ? 'wh-urban' : null })
  type W = Awaited<ReturnType<typeof mountView>>['w']
  const chips = (w: W) => w.findAll('[data-testid^=view-]').map((c) => [c.attributes('data-testid'), c.text(), c.attributes('data-count')])
  const on = (w: W) => w.findAll('[data-testid^=view-]').filter((c) => c.classes().includes('on')).map((c) => c.attributes('data-testid'))
  const choose = async (w: W, key: string) => {
    await w.get(`[data-testid=view-${key}]`).trigger('click')
    await flushPromises()
  }

  it("shows a dispatcher its views with the counts of what waits for it", async () => {
    signIn('town_dispatcher')
    const { w } = await mountView()
    expect(chips(w)).toEqual([
      ['view-pending', '待我审批6', '6'],
      ['view-verify', '待核查3', '3'],
      ['view-extension', '待审延期1', '1'],
      ['view-review', '退回待审2', '2'],
      ['view-supervised', '督办中4', '4'],
    ])
    expect(on(w)).toEqual([])
    // the counts are of all the dispatcher's cases
    expect(urls).toContain('/api/v1/cases/counts/awaiting')
    expect(urls).toContain('/api/v1/cases/counts?supervised=true')
    i18n.global.locale.value = 'en'
    await flushPromises()
    expect(w.get('[data-testid=view-pending]').text()).toBe('My pending approvals6')
    expect(w.get('[data-testid=view-review]').text()).toBe('Returns to review2')
    w.unmount()
  })

  it('sets the queue to exactly the view chosen, in the address too, and clears it when chosen again', async () => {
    signIn('district_dispatcher')
    const { w, router } = await mountView('/workbench?q=' + encodeURIComponent('工单') + '&card=red&grid=371002001001001&case=c1')
    urls = []
    await choose(w, 'review')
    // the search, the card and the grid go; the selected case stays
    expect(router.currentRoute.value.query).toEqual({ awaiting: 'review', case: 'c1' })
    expect(urls.some((u) => u.startsWith('/api/v1/cases?awaiting=review&limit='))).toBe(true)
    expect(urls).toContain('/api/v1/cases/counts?awaiting=review')
    expect((w.get('input[data-testid=queue-search]').element as HTMLInputElement).value).toBe('')
    expect(w.findAll('[data-testid^=row-]').map((r) => r.text())).toEqual(['20261123000042'])
    expect(on(w)).toEqual(['view-review'])
    expect(w.get('[data-testid=view-review]').attributes('aria-pressed')).toBe('true')
    // another view replaces it
    await choose(w, 'verify')
    expect(router.currentRoute.value.query).toEqual({ state: 'handled', case: 'c1' })
    expect(on(w)).toEqual(['view-verify'])
    await choose(w, 'supervised')
    expect(router.currentRoute.value.query).toEqual({ supervised: 'true', case: 'c1' })
    expect((w.get('[data-testid=filter-supervised] input').element as HTMLInputElement).checked).toBe(true)
    // chosen again: every filter cleared
    await choose(w, 'supervised')
    expect(router.currentRoute.value.query).toEqual({ case: 'c1' })
    expect(on(w)).toEqual([])
    expect(w.findAll('[data-testid^=row-]')).toHaveLength(3)
    w.unmount()
  })

  it('reads the view from the address, and is no longer chosen once another filter is added', async () => {
    signIn('community_admin')
    const { w, router } = await mountView('/workbench?awaiting=extension')
    expect(urls.some((u) => u.startsWith('/api/v1/cases?awaiting=extension'))).toBe(true)
    expect(on(w)).toEqual(['view-extension'])
    await w.get('[data-testid=card-chip-red]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ awaiting: 'extension', card: 'red' })
    expect(on(w)).toEqual([])
    // an awaiting no view shows is a filter of its own, which can be dropped
    expect(w.get('[data-testid=filter-awaiting]').text()).toBe('待审批：延期申请')
    await w.get('[data-testid=filter-awaiting] .el-tag__close').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ card: 'red' })
    // and the address changed elsewhere (a link, going back) changes the queue
    await router.push('/workbench?awaiting=any')
    await flushPromises()
    expect(on(w)).toEqual(['view-pending'])
    expect(urls.some((u) => u.startsWith('/api/v1/cases?awaiting=any'))).toBe(true)
    w.unmount()
  })

  it('refreshes the counts when the queue refreshes', async () => {
    signIn('admin')
    const { w } = await mountView()
    expect(w.get('[data-testid=view-review]').attributes('data-count')).toBe('2')
    awaitingAnswer = { review: 1, extension: 1, suspension: 0, verify: 3, total: 5 }
    await w.get('[data-testid=refresh]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=view-review]').attributes('data-count')).toBe('1')
    expect(w.get('[data-testid=view-pending]').attributes('data-count')).toBe('5')
    w.unmount()
  })

  it("shows a department handler what to sign for and what it is handling, counted per state", async () => {
    signIn('department_handler')
    const { w, router } = await mountView()
    expect(chips(w)).toEqual([
      ['view-to_claim', '待签收3', '3'],
      ['view-handling', '处置中0', '0'],
    ])
    expect(urls.some((u) => u.includes('/counts/awaiting'))).toBe(false)
    expect(urls).toContain('/api/v1/cases/counts')
    await choose(w, 'to_claim')
    expect(router.currentRoute.value.query).toEqual({ state: 'dispatched' })
    expect(urls.some((u) => u.startsWith('/api/v1/cases?state=dispatched'))).toBe(true)
    expect(on(w)).toEqual(['view-to_claim'])
    w.unmount()
  })

  it('shows no views to the roles without any', async () => {
    signIn('leader')
    const { w } = await mountView()
    expect(w.find('[data-testid=views]').exists()).toBe(false)
    expect(urls.some((u) => u.includes('/counts/awaiting'))).toBe(false)
    w.unmount()
  })
})

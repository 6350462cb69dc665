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
    if (u.pathname === '/api/v1/cases/counts/cards') return Promise.resolve(cardsAnswer())
    if (u.pathname === '/api/v1/cases/counts') return Promise.resolve(new Response(JSON.stringify({ total: 3, by_state: { dispatched: 3 } })))
    if (u.pathname === '/api/v1/cases') {
      const card = u.searchParams.get('card')
      return Promise.resolve(new Response(JSON.stringify({ items: all.filter((c) => !card || c.card === card), next_cursor: null })))
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

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Role } from '@/core/api'
import AppHeader from '@/core/components/AppHeader.vue'
import { i18n } from '@/core/i18n'
import { user } from '@/core/session'
import { POLL_MS, resetInbox, startInbox } from '@/modules/inbox/store'
import { refreshAwaiting, resetAwaiting } from '../awaiting'
import WorkbenchBadge from './WorkbenchBadge.vue'

let urls: string[]
let total: number

const signIn = (role: Role) => (user.value = { id: 'u-' + role, username: role, display_name: '张三', role, scope: '3710', department: null })
const awaitingAsked = () => urls.filter((u) => u === '/api/v1/cases/counts/awaiting').length

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  urls = []
  total = 6
  vi.stubGlobal('fetch', (url: string) => {
    urls.push(url)
    if (url.startsWith('/api/v1/cases/counts/awaiting')) return Promise.resolve(new Response(JSON.stringify({ review: 2, extension: 1, suspension: 0, verify: total - 3, total })))
    return Promise.resolve(new Response(JSON.stringify({ items: [], unread: 0 })))
  })
})
afterEach(() => {
  resetInbox()
  resetAwaiting()
  user.value = null
  vi.unstubAllGlobals()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

const mountBadge = () => mount(WorkbenchBadge, { global: { plugins: [i18n] } })

describe('the workbench badge of the menu', () => {
  it("shows a dispatcher's total waiting for a decision, polled with the bell on its one timer", async () => {
    vi.useFakeTimers()
    signIn('town_dispatcher')
    const w = mountBadge()
    await vi.advanceTimersByTimeAsync(0)
    const badge = w.get('[data-testid=nav-workbench-badge]')
    expect(badge.text()).toBe('6')
    expect(badge.attributes('data-count')).toBe('6')
    expect(badge.attributes('title')).toBe('待我审批 6 件')
    expect(awaitingAsked()).toBe(1)
    // no timer of its own
    await vi.advanceTimersByTimeAsync(3 * POLL_MS)
    expect(awaitingAsked()).toBe(1)
    // the bell's polls: at its start and every 30 s
    startInbox()
    await vi.advanceTimersByTimeAsync(0)
    expect(awaitingAsked()).toBe(2)
    total = 120
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(awaitingAsked()).toBe(3)
    expect(w.get('[data-testid=nav-workbench-badge]').text()).toBe('99+')
    expect(w.get('[data-testid=nav-workbench-badge]').attributes('data-count')).toBe('120')
    // gone with the header: the polls no longer ask
    w.unmount()
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(awaitingAsked()).toBe(3)
    expect(urls.filter((u) => u.startsWith('/api/v1/inbox')).length).toBe(3)
  })

  it('hides at 0, and follows a refresh by the workbench', async () => {
    signIn('admin')
    total = 0
    const w = mountBadge()
    await flushPromises()
    expect(w.find('[data-testid=nav-workbench-badge]').exists()).toBe(false)
    total = 4
    await refreshAwaiting()
    await flushPromises()
    expect(w.get('[data-testid=nav-workbench-badge]').text()).toBe('4')
    w.unmount()
  })

  it('is not shown, nor asked, for the roles without approvals', async () => {
    for (const role of ['department_handler', 'leader', 'grid_worker', 'mediator'] as Role[]) {
      signIn(role)
      const w = mountBadge()
      await flushPromises()
      expect(w.find('[data-testid=nav-workbench-badge]').exists(), role).toBe(false)
      w.unmount()
    }
    expect(awaitingAsked()).toBe(0)
  })

  it("sits on the header's workbench item", async () => {
    signIn('district_dispatcher')
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
    await router.push('/map')
    const w = mount(AppHeader, { global: { plugins: [i18n, ElementPlus, router] } })
    await vi.waitFor(() => expect(w.find('[data-testid=nav-workbench] [data-testid=nav-workbench-badge]').exists()).toBe(true), { timeout: 30_000 })
    expect(w.get('[data-testid=nav-workbench-badge]').text()).toBe('6')
    expect(w.find('[data-testid=nav-map] [data-testid=nav-workbench-badge]').exists()).toBe(false)
    w.unmount()
  })
})

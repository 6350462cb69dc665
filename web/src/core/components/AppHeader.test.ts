import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Role } from '../api'
import { i18n } from '../i18n'
import { user } from '../session'
import AppHeader from './AppHeader.vue'

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  vi.stubGlobal('fetch', () => Promise.resolve(new Response(JSON.stringify({ items: [], unread: 0 }))))
})
afterEach(() => {
  vi.unstubAllGlobals()
  user.value = null
  document.body.innerHTML = ''
})

async function header(role: Role | null, compact = false) {
  user.value = role ? { id: 'u1', username: role, display_name: '张三', role, scope: '3710', department: null } : null
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
  await router.push('/workbench')
  const w = mount(AppHeader, { props: { compact }, global: { plugins: [i18n, ElementPlus, router] } })
  await flushPromises()
  return w
}
const menu = (w: Awaited<ReturnType<typeof header>>) => w.findAll('.nav-link[data-testid^=nav-]').map((a) => a.text())

describe('AppHeader', () => {
  it("shows a handler the workbench, the map and the ranking, and neither 系统管理 nor the command-centre screen", async () => {
    const w = await header('department_handler')
    expect(menu(w)).toEqual(['工单工作台', '网格地图', '考核评价'])
    expect(w.find('[data-testid=nav-admin]').exists()).toBe(false)
    expect(w.find('[data-testid=nav-screen]').exists()).toBe(false)
    w.unmount()
  })
  it('shows an admin every screen, 系统管理 last', async () => {
    const w = await header('admin')
    expect(menu(w)).toEqual(['工单工作台', '网格地图', '指挥大屏', '考核评价', '系统管理'])
    expect(w.get('[data-testid=nav-admin]').attributes('href')).toBe('/admin')
    w.unmount()
  })
  it("keeps a grid worker's phone header to its phone screens, with the bell", async () => {
    const w = await header('grid_worker', true)
    expect(menu(w)).toEqual(['网格员', '工单工作台'])
    await vi.waitFor(() => expect(w.find('[data-testid=inbox-bell]').exists()).toBe(true), { timeout: 30_000 })
    w.unmount()
  })
})

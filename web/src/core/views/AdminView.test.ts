import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '../i18n'
import { user } from '../session'
import AdminView from './AdminView.vue'

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  user.value = { id: 'u1', username: 'admin', display_name: '管理员', role: 'admin', scope: '3710', department: null }
  vi.stubGlobal('fetch', (url: string) => {
    const body = url.startsWith('/api/v1/admin/users') ? [user.value] : url.startsWith('/api/v1/areas/') ? { code: '3710', name: '威海市', level: 'city' } : []
    return Promise.resolve(new Response(JSON.stringify(body)))
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  user.value = null
  document.body.innerHTML = ''
})

describe('AdminView', () => {
  it('shows the tabs the modules register, in their order, and the first one open', async () => {
    const w = mount(AdminView, { global: { plugins: [i18n, ElementPlus] }, attachTo: document.body })
    await flushPromises()
    expect(w.findAll('.el-tabs__item').map((x) => x.text())).toEqual(['账号', '职能部门', '事件类别', '工作日历'])
    // The accounts tab (its component arrives on its own) lists the accounts.
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.find('[data-testid=user-row-admin]').exists()).toBe(true)
    }, { timeout: 30_000 })
    w.unmount()
  })
})

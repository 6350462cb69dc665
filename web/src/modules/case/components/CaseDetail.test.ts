import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/core/i18n'
import CaseDetail from './CaseDetail.vue'

const base = {
  id: 'c1', code: '20261123000401', title: '垃圾满溢', description: '垃圾满溢',
  category: { code: '0102', name: '暴露垃圾', name_en: 'Exposed rubbish' }, priority: 'normal', channel: 'resident', state: 'returned',
  area_code: '371002001001', area: [{ code: '37', name: '山东省', level: 'province' }, { code: '371002001', name: '环翠楼街道', level: 'town' }],
  owner_area: { code: '371002001', name: '环翠楼街道', level: 'town' }, location: null, grid: null, located_by: null, located: null,
  needs_location_confirmation: false, address: null, reporter_phone: null, attachments: [], assignee: null, handler_user_id: null,
  supervised: false, extension_requested_until: null, extended_until: null, extensions_granted: 0, suspension_requested: null, returned_by: null,
  rating: null, merged_into: null, reopen_count: 0, return_count: 1, escalation_count: 0,
  created_at: '2026-11-23T10:00:00+08:00', updated_at: '2026-11-23T10:00:00+08:00', version: 3, allowed_actions: ['review_return', 'reject'],
}
let kase: Record<string, unknown>

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  kase = { ...base }
  vi.stubGlobal('fetch', (url: string) => Promise.resolve(new Response(JSON.stringify(url.endsWith('/events') ? [] : kase))))
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

async function mountDetail() {
  const w = mount(CaseDetail, {
    props: { id: 'c1' },
    global: { plugins: [i18n, ElementPlus], stubs: { CaseMap: true, LocateDialog: true, ActionDialog: true, CaseTimeline: true } },
    attachTo: document.body,
  })
  await flushPromises()
  return w
}

describe('CaseDetail', () => {
  it('shows a return waiting for review, with 退单审核 as the main action', async () => {
    kase.returned_by = { kind: 'department', id: 'wh-water', name: '水务集团' }
    const w = await mountDetail()
    expect(w.get('[data-testid=case-returned-by]').text()).toContain('退回待审核：水务集团')
    expect(w.find('[data-testid=case-suspension-requested]').exists()).toBe(false)
    expect(w.get('[data-testid=action-review_return]').text()).toBe('退单审核')
    expect(w.get('[data-testid=action-review_return]').classes()).toContain('el-button--primary')
    w.unmount()
  })

  it('shows a pending suspension request and the extensions granted', async () => {
    Object.assign(kase, { state: 'in_progress', suspension_requested: '等待产权单位答复', extensions_granted: 2, allowed_actions: ['decide_suspension'] })
    const w = await mountDetail()
    expect(w.get('[data-testid=case-suspension-requested]').text()).toContain('申请挂起：等待产权单位答复')
    expect(w.find('[data-testid=case-returned-by]').exists()).toBe(false)
    expect(w.get('[data-testid=case-extensions-granted]').text()).toBe('2 次')
    expect(w.get('[data-testid=action-decide_suspension]').text()).toBe('审批挂起')
    w.unmount()
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter, RouterLink } from 'vue-router'
import { i18n } from '@/core/i18n'
import ActionDialog from './ActionDialog.vue'
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
let urls: string[]
/** The answer of `/same-caller`. */
let sameCaller: () => Response
const other = (n: number, state: string) => ({ ...base, id: 'o' + n, code: '2026112000000' + n, title: '路灯不亮' + n, state, created_at: '2026-11-20T09:0' + n + ':00+08:00' })

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  kase = { ...base }
  urls = []
  sameCaller = () => new Response(JSON.stringify({ items: [other(1, 'closed'), other(2, 'reported')], next_cursor: null }))
  vi.stubGlobal('fetch', (url: string) => {
    urls.push(url)
    if (url.endsWith('/same-caller')) return Promise.resolve(sameCaller())
    return Promise.resolve(new Response(JSON.stringify(url.endsWith('/events') ? [] : kase)))
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

async function mountDetail(path = '/workbench?case=c1') {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:screen', component: { render: () => null } }] })
  await router.push(path)
  const w = mount(CaseDetail, {
    props: { id: 'c1' },
    global: { plugins: [i18n, ElementPlus, router], stubs: { CaseMap: true, LocateDialog: true, ActionDialog: true, CaseTimeline: true } },
    attachTo: document.body,
  })
  await flushPromises()
  return w
}
const openSameCaller = async (w: Awaited<ReturnType<typeof mountDetail>>) => {
  await w.get('[data-testid=case-same-caller] .el-collapse-item__header').trigger('click')
  await flushPromises()
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

  it("opens a decision's dialog with the case and the log it has read (what is being decided)", async () => {
    const log = [{ seq: 2, at: '2026-11-23T02:00:00Z', actor: { kind: 'user', name: '李四' }, type: 'returned', data: { reason: '不属于本部门职责' } }]
    vi.stubGlobal('fetch', (url: string) => Promise.resolve(new Response(JSON.stringify(url.endsWith('/events') ? log : url.endsWith('/same-caller') ? { items: [], next_cursor: null } : kase))))
    const w = await mountDetail()
    await w.get('[data-testid=action-review_return]').trigger('click')
    const dialog = w.findComponent(ActionDialog)
    expect(dialog.props('action')).toBe('review_return')
    expect(dialog.props('case')).toMatchObject({ id: 'c1' })
    expect(dialog.props('events')).toEqual(log)
    w.unmount()
  })
})

describe("CaseDetail: the caller's other cases", () => {
  it('is there only when the case has a phone', async () => {
    const w = await mountDetail()
    expect(w.find('[data-testid=case-same-caller]').exists()).toBe(false)
    expect(urls.some((u) => u.endsWith('/same-caller'))).toBe(false)
    w.unmount()
  })

  it('asks when opened, counts them in the header and links each code to the workbench', async () => {
    kase.reporter_phone = '138****8000'
    const w = await mountDetail('/workbench?q=13800138000&case=c1')
    const section = w.get('[data-testid=case-same-caller]')
    expect(section.text()).toContain('同一来电人的其他工单')
    expect(urls.some((u) => u.endsWith('/same-caller'))).toBe(false)
    await openSameCaller(w)
    expect(urls).toContain('/api/v1/cases/c1/same-caller')
    expect(w.get('[data-testid=same-caller-count]').text()).toBe('2')
    expect(section.attributes('data-count')).toBe('2')
    const first = w.get('[data-testid=same-caller-20261120000001]')
    expect(first.text()).toContain('路灯不亮1')
    expect(first.text()).toContain('已结案')
    expect(first.text()).toContain('2026')
    expect(w.get('[data-testid=same-caller-20261120000002]').text()).toContain('已上报')
    // the workbench keeps its queue (the search) and opens the other case
    const link = first.getComponent(RouterLink)
    expect(link.props('to')).toEqual({ path: '/workbench', query: { q: '13800138000', case: 'o1' } })
    expect(first.get('a').attributes('href')).toBe('/workbench?q=13800138000&case=o1')
    expect(first.get('a').text()).toBe('20261120000001')
    // opened once: closing and opening again asks nothing more
    await openSameCaller(w)
    await openSameCaller(w)
    expect(urls.filter((u) => u.endsWith('/same-caller'))).toHaveLength(1)
    w.unmount()
  })

  it('links to the workbench from another screen, and says when there are none', async () => {
    kase.reporter_phone = '138****8000'
    sameCaller = () => new Response(JSON.stringify({ items: [], next_cursor: null }))
    const w = await mountDetail('/worker?case=c1')
    await openSameCaller(w)
    expect(w.get('[data-testid=same-caller-count]').text()).toBe('0')
    expect(w.get('[data-testid=same-caller-none]').text()).toBe('没有该来电人的其他工单')
    w.unmount()
    sameCaller = () => new Response(JSON.stringify({ items: [other(3, 'dispatched')], next_cursor: null }))
    const again = await mountDetail('/worker?case=c1')
    await openSameCaller(again)
    expect(again.get('[data-testid=same-caller-20261120000003] a').attributes('href')).toBe('/workbench?case=o3')
    again.unmount()
  })

  it('shows an error, and asks again when opened again', async () => {
    kase.reporter_phone = '138****8000'
    sameCaller = () => new Response(JSON.stringify({ error: { code: 'forbidden', message: 'no', field: null } }), { status: 403 })
    const w = await mountDetail()
    await openSameCaller(w)
    expect(w.get('[data-testid=same-caller-error]').text()).toContain('无权执行此操作')
    expect(w.find('[data-testid=same-caller-count]').exists()).toBe(false)
    sameCaller = () => new Response(JSON.stringify({ items: [other(1, 'closed')], next_cursor: null }))
    await openSameCaller(w)
    await openSameCaller(w)
    expect(w.find('[data-testid=same-caller-error]').exists()).toBe(false)
    expect(w.get('[data-testid=same-caller-count]').text()).toBe('1')
    w.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/core/i18n'
import type { CaseView, EventView } from '../api'
import ActionDialog from './ActionDialog.vue'

const kase = {
  id: 'c1',
  code: '20261123000401',
  category: { code: '0102', name: '暴露垃圾', name_en: 'Exposed rubbish' },
  area_code: '371002001001',
  area: [
    { code: '37', name: '山东省', level: 'province' },
    { code: '3710', name: '威海市', level: 'city' },
    { code: '371002', name: '环翠区', level: 'county' },
    { code: '371002001', name: '环翠楼街道', level: 'town' },
    { code: '371002001001', name: '社区', level: 'village' },
  ],
  owner_area: { code: '371002001', name: '环翠楼街道', level: 'town' },
  allowed_actions: ['dispatch', 'reject'],
} as unknown as CaseView

function json(body: unknown, status = 200) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))
}

function mountDialog(action: string, c: CaseView = kase, events?: EventView[]) {
  return mount(ActionDialog, {
    props: { case: c, action: action as never, ...(events ? { events } : {}) },
    // 常用语 have their own test (modules/phrases): here they would add their own fetches.
    global: { plugins: [i18n, ElementPlus], stubs: { PhrasePicker: { props: ['kind'], template: '<i data-testid="phrase-picker" :data-kind="kind" />' } } },
    attachTo: document.body,
  })
}

const handler = { kind: 'user', name: '李四', role: 'department_handler' as const }

/** Clicks a radio button as a person would: on its label. */
function click(testid: string) {
  ;(document.querySelector(`[data-testid="${testid}"]`) as HTMLElement).click()
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('ActionDialog', () => {
  it('asks for the reason of a rejection and refuses to send without it', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    const w = mountDialog('reject')
    await flushPromises()
    expect(document.querySelector('[data-testid="field-reason"]')).not.toBeNull()
    expect(document.querySelector('[data-testid="phrase-picker"]')?.getAttribute('data-kind')).toBe('rejection')
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(document.querySelector('[data-testid="action-error"]')?.textContent).toContain('原因')
    expect(fetch).not.toHaveBeenCalled()
    w.unmount()
  })

  it('loads the departments fit for the case and posts the dispatch', async () => {
    const calls: [string, RequestInit | undefined][] = []
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      calls.push([url, init])
      if (url.startsWith('/api/v1/departments')) return json([{ id: 'hcl-squad', name: '中队', name_en: 'Squad', area: '371002001', categories: ['01'] }])
      return json({ ...kase, state: 'dispatched' })
    })
    const w = mountDialog('dispatch')
    await flushPromises()
    expect(calls[0][0]).toBe('/api/v1/departments?category=0102&area=371002001001')
    // Choose the department through the component's state, as the select would.
    ;(w.vm as unknown as { form: Record<string, unknown> }).form.department = 'hcl-squad'
    await flushPromises()
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    const post = calls.find(([u]) => u.endsWith('/actions/dispatch'))
    expect(post).toBeTruthy()
    expect(post![1]!.method).toBe('POST')
    expect(JSON.parse(post![1]!.body as string)).toEqual({ department: 'hcl-squad' })
    expect(w.emitted('done')).toHaveLength(1)
    w.unmount()
  })

  it('shows who sent a return back and why, refuses it only with a comment, and posts the review', async () => {
    const calls: [string, RequestInit | undefined][] = []
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      calls.push([url, init])
      if (url === '/api/v1/cases/c1/events') {
        return json([
          { seq: 1, at: '2026-11-23T01:00:00Z', actor: handler, type: 'dispatched', data: {} },
          { seq: 2, at: '2026-11-23T02:00:00Z', actor: handler, type: 'returned', data: { reason: '不属于本部门职责' } },
        ])
      }
      return json({ ...kase, state: 'dispatched' })
    })
    const returned = { ...kase, returned_by: { kind: 'department', id: 'wh-water', name: '水务集团' } } as CaseView
    const w = mountDialog('review_return', returned)
    await flushPromises()
    // what is being decided, read from the case and its log
    const ctx = document.querySelector('[data-testid="decision-context"]')
    expect(ctx?.querySelector('[data-testid="context-returned-by"]')?.textContent).toContain('水务集团')
    expect(ctx?.querySelector('[data-testid="context-reason"]')?.textContent).toContain('不属于本部门职责')
    expect(document.querySelector('[data-testid="field-accepted"]')).not.toBeNull()
    expect(document.querySelector('[data-testid="field-accepted-yes"]')?.textContent).toContain('同意退回')
    expect(document.querySelector('[data-testid="field-accepted-no"]')?.textContent).toContain('不同意退回')
    const posts = () => calls.filter(([, init]) => init?.method === 'POST')
    const submit = () => (document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    // nothing chosen: refused, naming the choice
    submit()
    await flushPromises()
    expect(document.querySelector('[data-testid="action-error"]')?.textContent).toContain('请选择：审核结果')
    click('field-accepted-no')
    await flushPromises()
    submit()
    await flushPromises()
    expect(document.querySelector('[data-testid="action-error"]')?.textContent).toContain('意见')
    expect(posts()).toHaveLength(0)
    ;(w.vm as unknown as { form: Record<string, unknown> }).form.comment = '属于本部门职责'
    await flushPromises()
    submit()
    await flushPromises()
    expect(posts()[0][0]).toBe('/api/v1/cases/c1/actions/review_return')
    expect(JSON.parse(posts()[0][1]!.body as string)).toEqual({ accepted: false, comment: '属于本部门职责' })
    expect(w.emitted('done')).toHaveLength(1)
    w.unmount()
  })

  it("verifies with a choice, not a switch, after showing the handler's feedback and photos", async () => {
    const calls: [string, RequestInit | undefined][] = []
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      calls.push([url, init])
      if (url === '/api/v1/cases/c1/events') {
        return json([
          { seq: 1, at: '2026-11-23T01:00:00Z', actor: { kind: 'public', name: '' }, type: 'reported', data: { attachments: ['p-report'] } },
          { seq: 4, at: '2026-11-23T03:00:00Z', actor: handler, type: 'handled', data: { feedback: '已清运完毕', attachments: ['p-after'] } },
        ])
      }
      return json({ ...kase, state: 'closed' })
    })
    const w = mountDialog('verify')
    await flushPromises()
    // two buttons, neither chosen
    expect(document.querySelector('.el-dialog .el-switch')).toBeNull()
    const group = document.querySelector('[data-testid="field-passed"]')!
    expect(group.classList.contains('el-radio-group')).toBe(true)
    expect(group.querySelectorAll('.el-radio-button')).toHaveLength(2)
    expect(document.querySelector('[data-testid="field-passed-yes"]')?.textContent).toContain('通过')
    expect(document.querySelector('[data-testid="field-passed-no"]')?.textContent).toContain('不通过')
    expect(group.querySelectorAll('.el-radio-button.is-active')).toHaveLength(0)
    expect((w.vm as unknown as { form: Record<string, unknown> }).form.passed).toBeNull()
    // the handler's latest feedback and its photo, not the report's
    const ctx = document.querySelector('[data-testid="decision-context"]')!
    expect(ctx.querySelector('[data-testid="context-feedback"]')?.textContent).toContain('已清运完毕')
    expect(ctx.querySelector('[data-testid="context-handled-by"]')?.textContent).toContain('李四')
    const thumbs = [...ctx.querySelectorAll('[data-testid="case-photo"]')]
    expect(thumbs.map((x) => x.getAttribute('data-id'))).toEqual(['p-after'])
    expect(ctx.querySelector('[data-testid="case-photo"] img')?.getAttribute('src')).toBe('/api/v1/attachments/p-after/thumb')
    const submit = () => (document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    submit()
    await flushPromises()
    expect(document.querySelector('[data-testid="action-error"]')?.textContent).toContain('请选择：核查结果')
    expect(calls.some(([u]) => u.includes('/actions/'))).toBe(false)
    click('field-passed-yes')
    await flushPromises()
    expect(group.querySelector('.el-radio-button.is-active')?.getAttribute('data-testid')).toBe('field-passed-yes')
    submit()
    await flushPromises()
    const post = calls.find(([u]) => u.endsWith('/actions/verify'))
    expect(JSON.parse(post![1]!.body as string)).toEqual({ passed: true })
    expect(w.emitted('done')).toHaveLength(1)
    w.unmount()
  })

  it('shows the extension asked for, its reason and the deadline in force, from the log it is given', async () => {
    const calls: string[] = []
    vi.stubGlobal('fetch', (url: string) => {
      calls.push(url)
      return json({ ...kase, state: 'in_progress' })
    })
    const asked = {
      ...kase,
      extension_requested_until: '2026-11-30T10:00:00Z',
      extended_until: null,
      deadline: { step: 'handle', started: '2026-11-23T01:00:00Z', warn: '2026-11-27T09:30:00Z', due: '2026-11-28T09:30:00Z', limit: { amount: 5, unit: 'working_days' }, weekends_only: false, paused_at: null },
    } as unknown as CaseView
    const events = [{ seq: 3, at: '2026-11-24T01:00:00Z', actor: handler, type: 'extension_requested', data: { until: '2026-11-30T10:00:00Z', reason: '等待配件到货' } }]
    const w = mountDialog('decide_extension', asked, events)
    await flushPromises()
    const ctx = document.querySelector('[data-testid="decision-context"]')!
    expect(ctx.querySelector('[data-testid="context-until"]')?.textContent).toContain('11月30日 18:00') // China time
    expect(ctx.querySelector('[data-testid="context-reason"]')?.textContent).toContain('等待配件到货')
    expect(ctx.querySelector('[data-testid="context-in-force"]')?.textContent).toContain('11月28日 17:30')
    expect(calls).toHaveLength(0) // the log given is not fetched again
    expect(document.querySelector('[data-testid="field-granted-yes"]')?.textContent).toContain('同意')
    expect(document.querySelector('[data-testid="field-granted-no"]')?.textContent).toContain('不同意')
    click('field-granted-no')
    await flushPromises()
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(calls).toEqual(['/api/v1/cases/c1/actions/decide_extension'])
    expect(w.emitted('done')).toHaveLength(1)
    w.unmount()
  })

  it('shows the reason of a suspension asked for', async () => {
    vi.stubGlobal('fetch', () => json([]))
    const w = mountDialog('decide_suspension', { ...kase, suspension_requested: '等待产权单位答复' } as CaseView)
    await flushPromises()
    expect(document.querySelector('[data-testid="decision-context"] [data-testid="context-reason"]')?.textContent).toContain('等待产权单位答复')
    expect(document.querySelector('[data-testid="field-granted"] .el-radio-button.is-active')).toBeNull()
    w.unmount()
  })

  it('shows no decision context for an action that decides nothing', async () => {
    vi.stubGlobal('fetch', vi.fn())
    const w = mountDialog('reject')
    await flushPromises()
    expect(document.querySelector('[data-testid="decision-context"]')).toBeNull()
    w.unmount()
  })

  it('reclassifies to a category chosen from the catalogue, with a reason, and posts {category, reason}', async () => {
    const calls: [string, RequestInit | undefined][] = []
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      calls.push([url, init])
      if (url.startsWith('/api/v1/categories')) {
        return json([
          { code: '01', name: '市容环境', name_en: 'Cityscape', parent: null, priority: 'normal', handling_level: 'county' },
          { code: '0102', name: '暴露垃圾', name_en: 'Exposed rubbish', parent: '01', priority: 'normal', handling_level: 'town' },
          { code: '02', name: '宣传广告', name_en: 'Advertising', parent: null, priority: 'normal', handling_level: 'county' },
          { code: '0201', name: '违章张贴', name_en: 'Illegal posters', parent: '02', priority: 'high', handling_level: 'town' },
        ])
      }
      return json({ ...kase, category: { code: '0201', name: '违章张贴', name_en: 'Illegal posters' } })
    })
    const w = mountDialog('reclassify')
    await flushPromises()
    expect(document.querySelector('.el-dialog__title')?.textContent).toContain('改类')
    expect(document.querySelector('[data-testid="field-category"]')).not.toBeNull()
    expect(document.querySelector('[data-testid="field-priority"]')).not.toBeNull()
    expect(document.querySelector('[data-testid="field-reason"]')).not.toBeNull()
    // the case's own category is shown, not chosen: the server would refuse it as no change
    expect((document.querySelector('[data-testid="field-category"] input') as HTMLInputElement).placeholder).toContain('暴露垃圾')
    const form = (w.vm as unknown as { form: Record<string, unknown> }).form
    expect(form.category).toBe('')
    expect(calls.some(([u]) => u.startsWith('/api/v1/categories'))).toBe(true)
    const submit = () => (document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    submit()
    await flushPromises()
    expect(document.querySelector('[data-testid="action-error"]')?.textContent).toContain('类别')
    form.category = '0201'
    await flushPromises()
    submit()
    await flushPromises()
    expect(document.querySelector('[data-testid="action-error"]')?.textContent).toContain('原因')
    expect(calls.some(([u]) => u.includes('/actions/'))).toBe(false)
    form.reason = ' 实为违章张贴 '
    await flushPromises()
    submit()
    await flushPromises()
    const post = calls.find(([u]) => u.endsWith('/actions/reclassify'))
    expect(post).toBeTruthy()
    expect(post![0]).toBe('/api/v1/cases/c1/actions/reclassify')
    expect(post![1]!.method).toBe('POST')
    expect(JSON.parse(post![1]!.body as string)).toEqual({ category: '0201', reason: '实为违章张贴' })
    expect(w.emitted('done')).toHaveLength(1)
    w.unmount()
  })

  it('recalls a dispatch only with a reason', async () => {
    const calls: [string, RequestInit | undefined][] = []
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      calls.push([url, init])
      return json({ ...kase, state: 'accepted' })
    })
    const w = mountDialog('recall')
    await flushPromises()
    expect(document.querySelector('.el-dialog__title')?.textContent).toContain('撤回派遣')
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(document.querySelector('[data-testid="action-error"]')?.textContent).toContain('原因')
    expect(calls).toHaveLength(0)
    ;(w.vm as unknown as { form: Record<string, unknown> }).form.reason = '派错部门'
    await flushPromises()
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(calls[0][0]).toBe('/api/v1/cases/c1/actions/recall')
    expect(JSON.parse(calls[0][1]!.body as string)).toEqual({ reason: '派错部门' })
    w.unmount()
  })

  it("shows the API's error", async () => {
    vi.stubGlobal('fetch', () => json({ error: { code: 'illegal_transition', message: 'cannot claim a closed case', field: null } }, 409))
    const w = mountDialog('claim')
    await flushPromises()
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    const err = document.querySelector('[data-testid="action-error"]')?.textContent ?? ''
    expect(err).toContain('当前状态不允许此操作')
    expect(err).toContain('工单当前状态不允许此操作') // the reader's language, not the server's English
    expect(w.emitted('done')).toBeUndefined()
    w.unmount()
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/core/i18n'
import type { CaseView } from '../api'
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

function mountDialog(action: string) {
  return mount(ActionDialog, {
    props: { case: kase, action: action as never },
    global: { plugins: [i18n, ElementPlus] },
    attachTo: document.body,
  })
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

  it('refuses a return only with a comment, and posts the review', async () => {
    const calls: [string, RequestInit | undefined][] = []
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      calls.push([url, init])
      return json({ ...kase, state: 'dispatched' })
    })
    const w = mountDialog('review_return')
    await flushPromises()
    expect(document.querySelector('[data-testid="field-accepted"]')).not.toBeNull()
    expect(document.querySelector('.el-dialog')?.textContent).toContain('同意退回')
    const form = (w.vm as unknown as { form: Record<string, unknown> }).form
    form.accepted = false
    await flushPromises()
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(document.querySelector('[data-testid="action-error"]')?.textContent).toContain('意见')
    expect(calls).toHaveLength(0)
    form.comment = '属于本部门职责'
    await flushPromises()
    ;(document.querySelector('[data-testid="action-submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(calls[0][0]).toBe('/api/v1/cases/c1/actions/review_return')
    expect(JSON.parse(calls[0][1]!.body as string)).toEqual({ accepted: false, comment: '属于本部门职责' })
    expect(w.emitted('done')).toHaveLength(1)
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

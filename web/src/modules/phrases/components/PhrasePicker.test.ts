import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/core/i18n'
import PhrasePicker from './PhrasePicker.vue'

function json(body: unknown, status = 200) {
  return Promise.resolve(new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))
}

const shipped = { id: 'default-rejection-1', kind: 'rejection', text: '处置结果与诉求不符，请重新办理。', owner: null, area: '', created_at: '1970-01-01T00:00:00Z' }

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('PhrasePicker', () => {
  it('adds a picked phrase after the text, keeps the text as one of his own', async () => {
    const calls: [string, RequestInit | undefined][] = []
    let mine: unknown[] = []
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      calls.push([url, init])
      if (init?.method === 'POST') {
        const b = JSON.parse(init.body as string)
        mine = [{ id: 'p1', kind: b.kind, text: b.text, owner: 'u1', area: '371002001', created_at: '2026-12-06T00:00:00Z' }]
        return json(mine[0], 201)
      }
      return json([shipped, ...mine])
    })
    const w = mount(PhrasePicker, { props: { kind: 'rejection' as const, modelValue: '现场照片不清楚', 'onUpdate:modelValue': (v: string) => w.setProps({ modelValue: v }) }, global: { plugins: [i18n, ElementPlus] }, attachTo: document.body })
    await flushPromises()
    expect(calls[0][0]).toBe('/api/v1/phrases?kind=rejection')
    ;(document.querySelector('[data-testid="phrases-open"]') as HTMLElement).click()
    await flushPromises()
    ;(document.querySelector('[data-testid="phrase-default-rejection-1"]') as HTMLElement).click()
    await flushPromises()
    expect(w.props('modelValue')).toBe('现场照片不清楚\n处置结果与诉求不符，请重新办理。')

    await w.setProps({ modelValue: '请补拍处置后照片' })
    ;(document.querySelector('[data-testid="phrases-keep"]') as HTMLElement).click()
    await flushPromises()
    const post = calls.find(([, i]) => i?.method === 'POST')
    expect(JSON.parse(post![1]!.body as string)).toEqual({ kind: 'rejection', text: '请补拍处置后照片', shared: false })
    // Kept: it is listed now, so there is nothing more to keep.
    expect(document.querySelector('[data-testid="phrases-keep"]')).toBeNull()
    w.unmount()
  })
})

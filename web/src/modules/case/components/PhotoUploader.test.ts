import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/core/i18n'
import PhotoUploader from './PhotoUploader.vue'

/** A stand-in XMLHttpRequest that answers each upload with `answer`. */
function fakeXhr(answer: (body: Blob, headers: Record<string, string>) => { status: number; body: unknown }) {
  const sent: { headers: Record<string, string>; body: Blob }[] = []
  class X {
    status = 0
    statusText = ''
    responseText = ''
    withCredentials = false
    upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null }
    onload: (() => void) | null = null
    onerror: (() => void) | null = null
    onabort: (() => void) | null = null
    headers: Record<string, string> = {}
    open() {}
    abort() {}
    setRequestHeader(k: string, v: string) {
      this.headers[k] = v
    }
    send(body: Blob) {
      sent.push({ headers: this.headers, body })
      const a = answer(body, this.headers)
      setTimeout(() => {
        this.upload.onprogress?.({ lengthComputable: true, loaded: body.size / 2, total: body.size })
        this.status = a.status
        this.responseText = JSON.stringify(a.body)
        this.onload?.()
      }, 0)
    }
  }
  vi.stubGlobal('XMLHttpRequest', X)
  return sent
}

/** Waits until `check` passes (the fake uploads answer on a timer), however slow the machine. */
async function settled(check: () => void) {
  await vi.waitFor(async () => {
    await flushPromises()
    check()
  }, { timeout: 30_000, interval: 10 })
}

function pick(w: ReturnType<typeof mount>, files: File[]) {
  const input = w.find('[data-testid="p-input"]').element as HTMLInputElement
  Object.defineProperty(input, 'files', { value: files, configurable: true })
  input.dispatchEvent(new Event('change'))
}

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  let n = 0
  URL.createObjectURL = vi.fn(() => `blob:test/${++n}`)
  URL.revokeObjectURL = vi.fn()
})
afterEach(() => vi.unstubAllGlobals())

describe('PhotoUploader', () => {
  it('uploads a picked photo with its type and gives back its id', async () => {
    const sent = fakeXhr(() => ({ status: 201, body: { id: 'ph-1', url: '/u', thumb_url: '/t', content_type: 'image/png', bytes: 4, width: 1, height: 1 } }))
    const w = mount(PhotoUploader, { props: { modelValue: [], testid: 'p' }, global: { plugins: [i18n, ElementPlus] } })
    pick(w, [new File([new Uint8Array([1, 2, 3, 4])], 'a.png', { type: 'image/png' })])
    await settled(() => expect(w.find('[data-testid="p-item"]').attributes('data-status')).toBe('done'))
    expect(sent).toHaveLength(1)
    expect(sent[0].headers['content-type']).toBe('image/png')
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([['ph-1']])
    expect(w.find('[data-testid="p-item"]').attributes('data-status')).toBe('done')
    // Removing it gives the list back without it.
    await w.find('[data-testid="p-remove"]').trigger('click')
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([[]])
    expect(w.findAll('[data-testid="p-item"]')).toHaveLength(0)
  })

  it('refuses a wrong type or a too large file without sending it', async () => {
    const sent = fakeXhr(() => ({ status: 201, body: {} }))
    const w = mount(PhotoUploader, { props: { modelValue: [], testid: 'p' }, global: { plugins: [i18n, ElementPlus] } })
    const big = new File([new Uint8Array(1)], 'big.jpg', { type: 'image/jpeg' })
    Object.defineProperty(big, 'size', { value: 11 * 1024 * 1024 })
    pick(w, [new File(['x'], 'a.gif', { type: 'image/gif' }), big])
    await flushPromises()
    expect(sent).toHaveLength(0)
    const items = w.findAll('[data-testid="p-item"]')
    expect(items.map((i) => i.attributes('data-problem'))).toEqual(['badType', 'tooLarge'])
    expect(items[0].text()).toContain('仅支持 JPEG、PNG、WebP')
    expect(items[1].text()).toContain('超过 10.0 MB')
  })

  it("shows the API's refusal in the UI language", async () => {
    fakeXhr(() => ({ status: 422, body: { error: { code: 'invalid_field', message: 'body: not an image', field: 'body' } } }))
    i18n.global.locale.value = 'en'
    const w = mount(PhotoUploader, { props: { modelValue: [], testid: 'p' }, global: { plugins: [i18n, ElementPlus] } })
    pick(w, [new File(['not a png'], 'x.png', { type: 'image/png' })])
    await settled(() => expect(w.find('[data-testid="p-item"]').attributes('data-status')).toBe('error'))
    const item = w.find('[data-testid="p-item"]')
    expect(item.attributes('data-status')).toBe('error')
    expect(item.text()).toContain('Not a readable image')
    expect(item.attributes('title')).toBe('Invalid input: body: not an image')
    expect(w.emitted('update:modelValue')).toBeUndefined()
    i18n.global.locale.value = 'zh-CN'
  })

  it('takes at most nine photos', async () => {
    let n = 0
    fakeXhr(() => ({ status: 201, body: { id: 'ph-' + ++n } }))
    const w = mount(PhotoUploader, { props: { modelValue: [], testid: 'p' }, global: { plugins: [i18n, ElementPlus] } })
    pick(w, Array.from({ length: 11 }, (_, i) => new File(['x'], `${i}.jpg`, { type: 'image/jpeg' })))
    await settled(() => expect(w.emitted('update:modelValue')?.at(-1)?.[0]).toHaveLength(9))
    expect(w.findAll('[data-testid="p-item"]')).toHaveLength(9)
    expect(w.emitted('update:modelValue')?.at(-1)?.[0]).toHaveLength(9)
    expect(w.text()).toContain('有 2 张未添加')
    expect(w.find('[data-testid="p-input"]').exists()).toBe(false)
  })
})

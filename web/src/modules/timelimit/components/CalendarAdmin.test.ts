import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/core/i18n'
import CalendarAdmin from './CalendarAdmin.vue'

let years: { year: number; source: string; loaded_at: string | null }[]
let posts: string[]
beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  years = [2025, 2026].map((year) => ({ year, source: 'shipped', loaded_at: null }))
  posts = []
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    if (url === '/api/v1/admin/calendar' && init?.method === 'POST') {
      const body = init.body as string | Blob
      const text = typeof body === 'string' ? body : await body.text()
      posts.push(text)
      if (text.includes('holliday')) {
        return new Response(JSON.stringify({ error: { code: 'invalid_file', message: 'unknown kind `holliday`', field: 'line 3, column 2 (kind)' } }), { status: 422 })
      }
      years.push({ year: 2027, source: 'loaded', loaded_at: '2026-11-23T10:00:00+08:00' })
      return new Response(JSON.stringify({ years: [2027] }))
    }
    if (url === '/api/v1/admin/calendar') return new Response(JSON.stringify({ years }))
    if (url.startsWith('/api/v1/calendar/deadline')) {
      return new Response(JSON.stringify({ start: '2026-12-28T10:00:00+08:00', deadline: '2027-01-04T10:00:00+08:00', rule: { amount: 5, unit: 'working_days' }, uncovered_years: [2027], weekends_only: true }))
    }
    return new Response('{}', { status: 404 })
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const file = (text: string, name = '2027.csv') => new File([text], name, { type: 'text/csv' })
async function choose(w: ReturnType<typeof mount>, f: File) {
  const input = w.get('[data-testid=calendar-file]').element as HTMLInputElement
  Object.defineProperty(input, 'files', { value: [f], configurable: true })
  await w.get('[data-testid=calendar-file]').trigger('change')
  await flushPromises()
}

describe('CalendarAdmin', () => {
  it('lists the years, newest first', async () => {
    const w = mount(CalendarAdmin, { global: { plugins: [i18n, ElementPlus] } })
    await flushPromises()
    expect(w.findAll('[data-testid^=calendar-year-]').map((x) => x.text())).toEqual(['2026', '2025'])
    w.unmount()
  })

  it("shows a refusal with its line and column, and that line of the file", async () => {
    const w = mount(CalendarAdmin, { global: { plugins: [i18n, ElementPlus] } })
    await flushPromises()
    await choose(w, file('date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holliday,元旦\n'))
    const err = w.get('[data-testid=calendar-error]')
    expect(err.text()).toContain('第 3 行第 2 列（kind）')
    expect(err.text()).toContain('文件内容有误')
    expect(err.text()).toContain('unknown kind `holliday`')
    expect(w.get('[data-testid=calendar-error-line]').text()).toBe('2027-01-02,holliday,元旦')
    expect(w.get('[data-testid=calendar-error-line] mark').text()).toBe('holliday')
    w.unmount()
  })

  it('loads a good file and lists its year', async () => {
    const w = mount(CalendarAdmin, { global: { plugins: [i18n, ElementPlus] } })
    await flushPromises()
    await choose(w, file('date,kind,name\n2027-01-01,holiday,元旦\n'))
    expect(posts).toEqual(['date,kind,name\n2027-01-01,holiday,元旦\n'])
    expect(w.find('[data-testid=calendar-error]').exists()).toBe(false)
    expect(w.get('[data-testid=calendar-year-2027]').attributes('data-source')).toBe('loaded')
    w.unmount()
  })

  it('refuses a file that is no CSV without sending it', async () => {
    const w = mount(CalendarAdmin, { global: { plugins: [i18n, ElementPlus] } })
    await flushPromises()
    await choose(w, new File(['x'], 'holidays.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }))
    expect(posts).toEqual([])
    expect(w.get('[data-testid=calendar-error]').text()).toContain('请选择 .csv 文件')
    w.unmount()
  })

  it('checks a deadline and warns of a year without data', async () => {
    const w = mount(CalendarAdmin, { global: { plugins: [i18n, ElementPlus] } })
    await flushPromises()
    ;(w.vm as unknown as { form: { start: string } }).form.start = '2026-12-28 10:00'
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid=checker-deadline]').text()).toBe('2027年1月4日 10:00')
    expect(w.get('[data-testid=checker-uncovered]').text()).toContain('2027 年尚无节假日数据')
    w.unmount()
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/core/i18n'
import type { StepDeadline } from '@/modules/timelimit/api'
import type { EventView } from '../api'
import CardMark from './CardMark.vue'
import CaseTimeline from './CaseTimeline.vue'
import DeadlineCell from './DeadlineCell.vue'
import DeadlineInfo from './DeadlineInfo.vue'

const dl = (over: Partial<StepDeadline> = {}): StepDeadline => ({
  step: 'handle', started: '2026-11-23T09:00:00+08:00', warn: '2026-11-27T17:30:00+08:00', due: '2026-11-28T17:30:00+08:00',
  limit: { amount: 5, unit: 'working_days' }, weekends_only: false, paused_at: null, ...over,
})
const global = { plugins: [i18n, ElementPlus] }
// Unmounted after each test even when it fails, so the shared clock starts afresh.
const mounted: { unmount(): void }[] = []
function mountIt<T>(w: T): T {
  mounted.push(w as { unmount(): void })
  return w
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] })
  vi.setSystemTime(new Date('2026-11-26T14:30:00+08:00'))
  i18n.global.locale.value = 'zh-CN'
})
afterEach(() => {
  mounted.splice(0).forEach((w) => w.unmount())
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('DeadlineInfo', () => {
  it('shows the step, the due moment and what is left', () => {
    const w = mountIt(mount(DeadlineInfo, { props: { deadline: dl(), card: null }, global }))
    expect(w.get('[data-testid=deadline-due]').text()).toBe('处置时限：11月28日 17:30')
    expect(w.get('[data-testid=deadline-left]').text()).toBe('剩余 2天3小时')
    expect(w.get('[data-testid=case-deadline]').classes()).toContain('ok')
    expect(w.text()).toContain('时限 5个工作日')
  })
  it('turns red when overdue, and follows the clock', async () => {
    const w = mountIt(mount(DeadlineInfo, { props: { deadline: dl(), card: null }, global }))
    vi.setSystemTime(new Date('2026-11-28T22:30:00+08:00'))
    await vi.advanceTimersByTimeAsync(30_000)
    expect(w.get('[data-testid=deadline-left]').text()).toBe('已超期 5小时')
    expect(w.get('[data-testid=case-deadline]').attributes('data-card')).toBe('red')
    expect(w.get('[data-testid=case-deadline]').classes()).toContain('red')
  })
  it('says when the clock is paused and when weekends only count', () => {
    const w = mountIt(mount(DeadlineInfo, { props: { deadline: dl({ paused_at: '2026-11-25T17:30:00+08:00', weekends_only: true }), card: null }, global }))
    expect(w.get('[data-testid=deadline-paused]').text()).toBe('已暂停计时')
    expect(w.get('[data-testid=deadline-left]').text()).toBe('剩余 3天')
    expect(w.get('[data-testid=deadline-weekends]').text()).toBe('（按周末计算）')
    expect(w.get('[data-testid=case-deadline]').classes()).toContain('paused')
  })
  it('speaks English', () => {
    i18n.global.locale.value = 'en'
    const w = mountIt(mount(DeadlineInfo, { props: { deadline: dl({ step: 'verify' }), card: 'yellow' }, global }))
    expect(w.get('[data-testid=deadline-due]').text()).toBe('Verification due: 28 Nov 17:30')
    expect(w.get('[data-testid=deadline-left]').text()).toBe('2 days 3 hours left')
    expect(w.get('[data-testid=case-deadline]').attributes('data-card')).toBe('yellow')
  })
})

describe('CardMark', () => {
  it('marks red or yellow cases only', () => {
    const red = mountIt(mount(CardMark, { props: { deadline: dl({ due: '2026-11-26T09:30:00+08:00' }), card: 'red', testid: 'card-x' }, global }))
    expect(red.get('[data-testid=card-x]').text()).toBe('超期')
    expect(red.get('[data-testid=card-x]').attributes('aria-label')).toBe('处置时限：11月26日 09:30 · 已超期 5小时')
    const none = mountIt(mount(CardMark, { props: { deadline: dl(), card: null, testid: 'card-y' }, global }))
    expect(none.find('[data-testid=card-y]').exists()).toBe(false)
    const noDeadline = mountIt(mount(CardMark, { props: { card: 'yellow', testid: 'card-z' }, global }))
    expect(noDeadline.get('[data-testid=card-z]').text()).toBe('预警')
  })
})

describe('DeadlineCell', () => {
  it('shows the due moment and the time left, and follows the clock into red', async () => {
    const w = mountIt(mount(DeadlineCell, { props: { deadline: dl(), card: null, testid: 'dl', cardTestid: 'mark' }, global }))
    expect(w.get('[data-testid=dl]').text()).toBe('11月28日 17:30剩余 2天3小时')
    expect(w.get('[data-testid=dl]').attributes('data-tone')).toBe('ok')
    expect(w.find('[data-testid=mark]').exists()).toBe(false)
    vi.setSystemTime(new Date('2026-11-30T17:30:00+08:00'))
    await vi.advanceTimersByTimeAsync(30_000)
    expect(w.get('[data-testid=dl]').attributes('data-tone')).toBe('red')
    expect(w.get('[data-testid=dl] .left').text()).toBe('已超期 2天')
    expect(w.get('[data-testid=mark]').attributes('data-card')).toBe('red')
  })
  it('is grey while paused, a card alone without a deadline, a dash with neither', () => {
    const paused = mountIt(mount(DeadlineCell, { props: { deadline: dl({ paused_at: '2026-11-25T17:30:00+08:00' }), testid: 'dl' }, global }))
    expect(paused.get('[data-testid=dl]').attributes('data-tone')).toBe('paused')
    expect(paused.get('[data-testid=dl] .left').text()).toBe('剩余 3天 · 暂停')
    const card = mountIt(mount(DeadlineCell, { props: { card: 'yellow', testid: 'dl', cardTestid: 'mark' }, global }))
    expect(card.get('[data-testid=mark]').text()).toBe('预警')
    const none = mountIt(mount(DeadlineCell, { props: { testid: 'dl' }, global }))
    expect(none.get('[data-testid=dl]').text()).toBe('—')
  })
})

describe('CaseTimeline', () => {
  it('shows the system, the deadlines and the automatic rule', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('[]')))
    const system = { kind: 'system', name: 'system' }
    const events: EventView[] = [
      { seq: 1, at: '2026-11-23T09:00:00+08:00', actor: { kind: 'user', name: '王五', role: 'town_dispatcher' }, type: 'dispatched', data: {}, deadline: dl() },
      { seq: 2, at: '2026-11-27T17:30:00+08:00', actor: system, type: 'deadline_warned', data: { step: 'handle', due: '2026-11-28T17:30:00+08:00' } },
      { seq: 3, at: '2026-11-28T17:30:00+08:00', actor: system, type: 'overdue', data: { step: 'handle', due: '2026-11-28T17:30:00+08:00' } },
      { seq: 4, at: '2026-11-28T17:31:00+08:00', actor: system, type: 'supervised', data: { instruction: '逾期未办结' } },
    ]
    const w = mountIt(mount(CaseTimeline, { props: { events }, global }))
    await flushPromises()
    const items = w.findAll('[data-event]')
    expect(items.map((i) => i.attributes('data-event'))).toEqual(['dispatched', 'deadline_warned', 'overdue', 'supervised'])
    expect(items[0].get('[data-testid=ev-deadline]').text()).toBe('处置时限至 11月28日 17:30')
    expect(items[1].text()).toContain('临近时限预警')
    expect(items[1].text()).toContain('系统')
    expect(items[1].get('[data-testid=ev-deadline]').text()).toBe('处置时限：11月28日 17:30')
    expect(items[2].text()).toContain('已超期')
    expect(items[3].get('[data-testid=ev-auto]').text()).toBe('自动 · 逾期自动督办')
    expect(items[3].text()).toContain('逾期未办结')
  })

  it('names the categories of a reclassification and shows a recall', async () => {
    vi.stubGlobal('fetch', (url: string) => {
      if (url.startsWith('/api/v1/categories')) {
        return Promise.resolve(new Response(JSON.stringify([
          { code: '0102', name: '暴露垃圾', name_en: 'Exposed rubbish', parent: '01', priority: 'normal', handling_level: 'town' },
          { code: '0201', name: '违章张贴', name_en: 'Illegal posters', parent: '02', priority: 'high', handling_level: 'town' },
        ])))
      }
      return Promise.resolve(new Response('[]'))
    })
    const user = { kind: 'user', name: '王五', role: 'town_dispatcher' } as const
    const events: EventView[] = [
      { seq: 1, at: '2026-11-23T09:00:00+08:00', actor: user, type: 'reclassified', data: { from: '0102', from_priority: 'normal', category: '0201', priority: 'urgent', reason: '实为违章张贴' } },
      { seq: 2, at: '2026-11-23T09:10:00+08:00', actor: user, type: 'recalled', data: { reason: '派错部门' } },
    ]
    const w = mountIt(mount(CaseTimeline, { props: { events }, global }))
    await flushPromises()
    const items = w.findAll('[data-event]')
    expect(items[0].text()).toContain('改类')
    expect(items[0].text()).toContain('类别：暴露垃圾 → 违章张贴')
    expect(items[0].text()).toContain('紧急程度：一般 → 特急')
    expect(items[0].text()).toContain('原因：实为违章张贴')
    expect(items[1].text()).toContain('撤回派遣')
    expect(items[1].text()).toContain('原因：派错部门')
  })
})

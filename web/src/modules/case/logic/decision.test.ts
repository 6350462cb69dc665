import { describe, expect, it } from 'vitest'
import { tOf } from '@/core/logic/testing'
import type { CaseView, EventView } from '../api'
import { decisionContext, lastEvent } from './decision'

const t = tOf('zh-CN')
const now = new Date('2026-11-23T02:00:00Z')
const handler = { kind: 'user', name: '李四', role: 'department_handler' as const }
const ev = (seq: number, type: string, data: Record<string, unknown>, at = '2026-11-23T01:00:00Z'): EventView => ({ seq, at, actor: handler, type, data })
const kase = {
  id: 'c1',
  extension_requested_until: null,
  extended_until: null,
  suspension_requested: null,
  returned_by: null,
  deadline: null,
} as unknown as CaseView
const value = (ctx: ReturnType<typeof decisionContext>, key: string) => ctx?.rows.find((r) => r.key === key)?.value

describe('what a decision shows', () => {
  it('takes the latest event of its type', () => {
    const log = [ev(1, 'handled', { feedback: '第一次' }), ev(2, 'verified', { passed: false }), ev(3, 'handled', { feedback: '第二次' })]
    expect(lastEvent(log, 'handled')?.seq).toBe(3)
    expect(lastEvent(log, 'returned')).toBeNull()
  })

  it("verify: the handler's latest feedback, who and when, and its photos only", () => {
    const log = [
      ev(1, 'reported', { attachments: ['r1'] }),
      ev(2, 'handled', { feedback: '未清完', attachments: ['h1'] }),
      ev(3, 'verified', { passed: false, comment: '还有垃圾' }),
      ev(4, 'handled', { feedback: ' 已清运完毕 ', attachments: ['h2', 'https://example.org/x.jpg'] }, '2026-11-23T01:30:00Z'),
    ]
    const ctx = decisionContext('verify', kase, log, t, now)!
    expect(value(ctx, 'feedback')).toBe('已清运完毕')
    expect(value(ctx, 'handled-by')).toBe('李四（职能部门） · 11月23日 09:30')
    expect(ctx.photos).toEqual([{ source: 'handled', at: '2026-11-23T01:30:00Z', photos: ['h2'], links: ['https://example.org/x.jpg'] }])
    // no handling in the log (yet): 无, no photos
    const empty = decisionContext('verify', kase, [], t, now)!
    expect(value(empty, 'feedback')).toBe('无')
    expect(empty.photos).toEqual([])
  })

  it('decide_extension: the date asked for (China time), its reason and the deadline in force', () => {
    const c = { ...kase, extension_requested_until: '2026-11-30T10:00:00Z', deadline: { step: 'handle', due: '2026-11-28T09:30:00Z' } } as unknown as CaseView
    const log = [ev(1, 'extension_requested', { until: '2026-11-29T10:00:00Z', reason: '旧的' }), ev(5, 'extension_requested', { until: '2026-11-30T10:00:00Z', reason: '等待配件' })]
    const ctx = decisionContext('decide_extension', c, log, t, now)!
    expect(value(ctx, 'until')).toBe('11月30日 18:00')
    expect(value(ctx, 'reason')).toBe('等待配件')
    expect(value(ctx, 'in-force')).toBe('11月28日 17:30')
    expect(value(ctx, 'requested-by')).toContain('李四')
    // without a running deadline, the date an earlier extension set
    const later = decisionContext('decide_extension', { ...c, deadline: null, extended_until: '2027-01-05T01:00:00Z' } as CaseView, log, t, now)!
    expect(value(later, 'in-force')).toBe('2027年1月5日 09:00')
  })

  it('decide_suspension: the reason on the case', () => {
    const ctx = decisionContext('decide_suspension', { ...kase, suspension_requested: '等待产权单位答复' }, [ev(1, 'suspension_requested', { reason: '等待产权单位答复' })], t, now)!
    expect(value(ctx, 'reason')).toBe('等待产权单位答复')
  })

  it('review_return: who sent it back and why', () => {
    const c = { ...kase, returned_by: { kind: 'department', id: 'wh-urban', name: '市城管局' } } as unknown as CaseView
    const ctx = decisionContext('review_return', c, [ev(7, 'returned', { reason: '不属于本部门职责' })], t, now)!
    expect(value(ctx, 'returned-by')).toBe('市城管局 · 11月23日 09:00')
    expect(value(ctx, 'reason')).toBe('不属于本部门职责')
  })

  it('is nothing for an action that decides nothing', () => {
    expect(decisionContext('handle', kase, [], t, now)).toBeNull()
    expect(decisionContext(null, kase, [], t, now)).toBeNull()
  })
})

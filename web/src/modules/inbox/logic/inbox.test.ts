import { describe, expect, it } from 'vitest'
import { tOf } from '@/core/logic/testing'
import type { Inbox, InboxItem } from '../api'
import { ago, allRead, badgeText, caseRoute, kindKey, markedRead, noticeTone, shownNotices } from './inbox'

const notice = (id: string, read = false, kind = 'dispatched'): InboxItem => ({
  id, message_id: 'm-' + id, subject: { kind: 'case', id: 'case-' + id }, subject_code: '20261123000042', kind,
  title: '新派遣工单', body: '请于时限内处置', created_at: '2026-11-23T10:00:00+08:00', read_at: read ? '2026-11-23T11:00:00+08:00' : null,
})
const box = (): Inbox => ({ items: [notice('a'), notice('b', true), notice('c')], unread: 2 })

describe('the bell', () => {
  it('counts to 99', () => {
    expect(badgeText(0)).toBe('')
    expect(badgeText(7)).toBe('7')
    expect(badgeText(99)).toBe('99')
    expect(badgeText(100)).toBe('99+')
  })
})

describe('read marks', () => {
  it('reads one notice, once', () => {
    const x = markedRead(box(), 'a', '2026-11-23T12:00:00Z')
    expect(x.unread).toBe(1)
    expect(x.items[0].read_at).toBe('2026-11-23T12:00:00Z')
    expect(markedRead(x, 'a', 'later').unread).toBe(1)
    // an already read one keeps its time, an unknown one changes nothing
    expect(markedRead(box(), 'b', 'later').items[1].read_at).toBe('2026-11-23T11:00:00+08:00')
    expect(markedRead(box(), 'zzz', 'later').unread).toBe(2)
  })
  it('reads all', () => {
    const x = allRead(box(), 'now')
    expect(x.unread).toBe(0)
    expect(x.items.map((n) => n.read_at)).toEqual(['now', '2026-11-23T11:00:00+08:00', 'now'])
  })
  it('lists the unread ones only when asked', () => {
    expect(shownNotices(box(), true).map((n) => n.id)).toEqual(['a', 'c'])
    expect(shownNotices(box(), false)).toHaveLength(3)
    expect(shownNotices(null, false)).toEqual([])
  })
})

describe('how a notice looks', () => {
  it('colours and names its kind', () => {
    expect(noticeTone('overdue')).toBe('danger')
    expect(noticeTone('deadline_warned')).toBe('warning')
    expect(noticeTone('closed')).toBe('success')
    expect(noticeTone('something_new')).toBe('info')
    expect(kindKey('supervised')).toBe('inbox.kind.supervised')
    expect(kindKey('something_new')).toBe('inbox.kind.other')
  })
  it('says how long ago, in both languages', () => {
    const now = new Date('2026-11-23T12:00:00+08:00')
    const zh = tOf('zh-CN')
    const en = tOf('en')
    expect(ago('2026-11-23T11:59:30+08:00', now, zh)).toBe('刚刚')
    expect(ago('2026-11-23T11:48:00+08:00', now, zh)).toBe('12分钟前')
    expect(ago('2026-11-23T11:48:00+08:00', now, en)).toBe('12 min ago')
    expect(ago('2026-11-23T09:00:00+08:00', now, zh)).toBe('3小时前')
    expect(ago('2026-11-21T14:05:00+08:00', now, zh)).toBe('11月21日 14:05')
    expect(ago('2026-11-21T14:05:00+08:00', now, en)).toBe('21 Nov 14:05')
  })
  it("opens the case on the reader's screen", () => {
    expect(caseRoute({ subject: { kind: 'case', id: 'x' } }, 'grid_worker')).toEqual({ path: '/worker', query: { case: 'x' } })
    expect(caseRoute({ subject: { kind: 'case', id: 'x' } }, 'department_handler')).toEqual({ path: '/workbench', query: { case: 'x' } })
  })
})

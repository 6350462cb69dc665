// The in-app notices (消息): the bell's figure, read marks applied locally, how a notice looks,
// how old it is, and where it leads.
import { homeOf, pathOf } from '@/core/access'
import type { Role } from '@/core/api'
import { fmtMoment, type T } from '@/core/logic/format'
import type { Inbox, InboxItem } from '../api'

/** The bell's badge: nothing at 0, 99+ above 99. */
export function badgeText(unread: number): string {
  if (!unread || unread < 0) return ''
  return unread > 99 ? '99+' : String(unread)
}

/** The inbox with one notice read (as the server will have it after `POST /inbox/{id}/read`). */
export function markedRead(inbox: Inbox, id: string, at: string): Inbox {
  let changed = 0
  const items = inbox.items.map((n) => {
    if (n.id !== id || n.read_at) return n
    changed++
    return { ...n, read_at: at }
  })
  return { items, unread: Math.max(0, inbox.unread - changed) }
}

/** The inbox with every notice read (`POST /inbox/read-all`). */
export function allRead(inbox: Inbox, at: string): Inbox {
  return { items: inbox.items.map((n) => (n.read_at ? n : { ...n, read_at: at })), unread: 0 }
}

/** The notices to list: all, or the unread ones only. */
export const shownNotices = (inbox: Inbox | null, unreadOnly: boolean): InboxItem[] =>
  (inbox?.items ?? []).filter((n) => !unreadOnly || !n.read_at)

const KINDS = ['dispatched', 'deadline_warned', 'overdue', 'supervised', 'returned', 'escalated', 'closed', 'rated', 'reopened']

/** The i18n key of a notice's kind (`inbox.kind.*`), `other` for kinds this UI does not know. */
export const kindKey = (kind: string) => 'inbox.kind.' + (KINDS.includes(kind) ? kind : 'other')

/** The colour of a notice's kind (an Element Plus tag type). */
export function noticeTone(kind: string): 'danger' | 'warning' | 'primary' | 'success' | 'info' {
  switch (kind) {
    case 'overdue':
    case 'supervised':
      return 'danger'
    case 'deadline_warned':
    case 'returned':
    case 'escalated':
    case 'reopened':
      return 'warning'
    case 'dispatched':
      return 'primary'
    case 'closed':
    case 'rated':
      return 'success'
    default:
      return 'info'
  }
}

/** How long ago: 刚刚, 12分钟前, 3小时前, then the moment (11月23日 14:05). */
export function ago(iso: string, now: Date, t: T): string {
  const ms = now.getTime() - Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  if (ms < 60_000) return t('time.justNow')
  if (ms < 3_600_000) return t('time.minutesAgo', { n: Math.floor(ms / 60_000) })
  if (ms < 24 * 3_600_000) return t('time.hoursAgo', { n: Math.floor(ms / 3_600_000) })
  return fmtMoment(iso, t, now)
}

/** Where a notice's case opens: the phone screen of those whose home it is (grid workers), else the workbench. */
export function caseRoute(n: Pick<InboxItem, 'subject'>, role: Role | undefined): { path: string; query: { case: string } } {
  const phone = homeOf(role) === pathOf('worker')
  return { path: phone ? pathOf('worker') : pathOf('workbench'), query: { case: n.subject.id } }
}

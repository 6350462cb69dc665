// English: the same keys as zh-CN.ts (core/i18n/i18n.test.ts checks).
import type zh from './zh-CN'

const en: typeof zh = {
  inbox: {
    title: 'Notices',
    bell: 'Notices',
    bellUnread: 'Notices ({n} unread)',
    unread: '{n} unread',
    markAll: 'Mark all read',
    marked: 'Marked {n} notices read',
    unreadOnly: 'Unread only',
    empty: 'No notices',
    emptyUnread: 'No unread notices',
    case: 'Case {code}',
    kind: {
      dispatched: 'Dispatched',
      deadline_warned: 'Deadline near',
      overdue: 'Overdue',
      supervised: 'Supervised',
      returned: 'Returned',
      escalated: 'Escalated',
      reopened: 'Reopened',
      closed: 'Closed',
      rated: 'Rated',
      other: 'Notice',
    },
  },
}
export default en

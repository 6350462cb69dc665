// The inbox's API (消息): the signed-in person's notices and their read marks.
import { query, request } from '@/core/http'

export type InboxKind = 'dispatched' | 'deadline_warned' | 'overdue' | 'supervised' | 'returned' | 'closed' | 'rated'
export interface InboxItem {
  id: string
  message_id: string
  /** The record the notice is about: today always a case. */
  subject: { kind: 'case' | string; id: string }
  /** The record's code as people know it (a case's tracking code). */
  subject_code: string
  kind: InboxKind | string
  title: string
  body: string
  created_at: string
  read_at: string | null
}
export interface Inbox { items: InboxItem[]; unread: number }

export const inboxApi = {
  inbox: (unreadOnly = false, limit = 50) => request<Inbox>('GET', '/inbox' + query({ unread_only: unreadOnly ? 'true' : undefined, limit })),
  inboxRead: (id: string) => request<null>('POST', `/inbox/${encodeURIComponent(id)}/read`),
  inboxReadAll: () => request<{ marked: number }>('POST', '/inbox/read-all'),
}

// The case loop's API: reports, the queue and its counts, a case's actions and log, photos, and
// the resident's tracking by code.
import type { AreaRef, CategoryRef, Crs, Location, Priority, Role } from '@/core/api'
import { ApiError, apiErrorOf, query, request } from '@/core/http'
import type { LocatedBy, LocationFix } from '@/modules/geo/api'
import type { Card, CardCounts, StepDeadline } from '@/modules/timelimit/api'

export type CaseState =
  | 'reported' | 'accepted' | 'rejected' | 'dispatched' | 'in_progress' | 'returned'
  | 'handled' | 'closed' | 'rated' | 'suspended' | 'merged'
export type Channel = 'grid_worker' | 'resident' | 'hotline' | 'iot' | 'mediation' | 'inspection' | 'open311'
export type Action =
  | 'accept' | 'reject' | 'dispatch' | 'claim' | 'return' | 'review_return' | 'request_extension' | 'decide_extension'
  | 'handle' | 'verify' | 'rate' | 'escalate' | 'supervise' | 'merge' | 'suspend' | 'request_suspension' | 'decide_suspension'
  | 'resume' | 'close_on_spot' | 'instruct' | 'reopen' | 'locate' | 'reclassify' | 'recall' | 'set_deadline'
export type Rating = 'satisfied' | 'basically_satisfied' | 'unsatisfied'

export const STATES: CaseState[] = [
  'reported', 'accepted', 'dispatched', 'in_progress', 'returned', 'handled', 'suspended',
  'closed', 'rated', 'rejected', 'merged',
]
export const OPEN_STATES: CaseState[] = ['reported', 'accepted', 'dispatched', 'in_progress', 'returned', 'handled', 'suspended']
export const CHANNELS: Channel[] = ['resident', 'grid_worker', 'hotline', 'iot', 'mediation', 'inspection', 'open311']
export const RATINGS: Rating[] = ['satisfied', 'basically_satisfied', 'unsatisfied']

/** Whom a case is with, or who sent it back. */
export interface AssigneeRef { kind: 'department' | 'area'; id: string; name: string }

export interface CaseView {
  id: string
  code: string
  title: string
  description: string
  category: CategoryRef
  priority: Priority
  channel: Channel
  state: CaseState
  area_code: string
  area: AreaRef[]
  owner_area: AreaRef
  location: Location | null
  /** The grid (15-digit code) the case lies in, when known. */
  grid: string | null
  located_by: LocatedBy | null
  located: LocationFix | null
  /** True until a dispatcher confirms where the case is (`locate`). */
  needs_location_confirmation: boolean
  address: string | null
  reporter_phone: string | null
  attachments: string[]
  assignee: AssigneeRef | null
  handler_user_id: string | null
  supervised: boolean
  extension_requested_until: string | null
  extended_until: string | null
  /** Extensions granted so far. */
  extensions_granted: number
  /** The reason of a pending suspension request (申请挂起), awaiting the centre's decision. */
  suspension_requested: string | null
  /** While a return waits for the centre's review (退单审核): who sent it back. */
  returned_by: AssigneeRef | null
  rating: Rating | null
  merged_into: string | null
  reopen_count: number
  return_count: number
  escalation_count: number
  created_at: string
  updated_at: string
  version: number
  allowed_actions: Action[]
  /** The current step's time limit (absent from servers before time limits, null when none runs). */
  deadline?: StepDeadline | null
  /** 红牌 (overdue) or 黄牌 (warning), from the server's clock. */
  card?: Card | null
}
export interface CreatedCase extends CaseView { receipt: string }
export interface CasePage { items: CaseView[]; next_cursor: string | null }
export interface Counts { by_state: Partial<Record<CaseState, number>>; total: number }
/** What may wait for the centre's decision: a department's return to review (退单审核), an extension or a suspension to decide. */
export type Awaiting = 'review' | 'extension' | 'suspension'
export const AWAITING: Awaiting[] = ['review', 'extension', 'suspension']
/** The `awaiting` filter: one of them, or `any`. */
export type AwaitingFilter = Awaiting | 'any'
/** `GET /cases/counts/awaiting`: what waits for the reader's decision, and the handled cases to verify. */
export interface AwaitingCounts { review: number; extension: number; suspension: number; verify: number; total: number }
export interface ActorRef { kind: string; name: string; role?: Role | null; user_id?: string | null }
export interface EventView {
  seq: number
  at: string
  actor: ActorRef
  type: string
  data: Record<string, unknown>
  /** Set when the event started a step or moved its deadline. */
  deadline?: StepDeadline | null
}
export interface TrackView {
  code: string
  category: CategoryRef
  state: CaseState
  created_at: string
  updated_at: string
  rating: Rating | null
  can_rate: boolean
  timeline: { type: string; at: string }[]
  /** The department (or lower centre) handling it, by name. */
  handled_by?: string | null
  /** The handling unit's reply: only with the reporter's receipt. */
  reply?: { at: string; feedback: string; photos: string[] } | null
}
/** `GET /nearby`: a public-space report near a point (no text, a place rounded to ~100 m). */
export interface NearbyReport { code: string; category: CategoryRef; state: CaseState; reported_at: string; lon: number; lat: number }
export interface NewCase {
  category: string
  description: string
  title?: string
  area?: string
  address?: string
  channel?: Channel
  location?: { lon: number; lat: number; crs?: Crs }
  reporter_phone?: string
  /** Uploaded photos' ids (or http(s) URLs), at most 9. */
  attachments?: string[]
}

/** An uploaded photo (`POST /attachments`). */
export interface Attachment {
  id: string
  url: string
  thumb_url: string
  content_type: string
  bytes: number
  width: number
  height: number
}

/** Filters of `GET /cases` and `GET /cases/counts`. */
export interface CaseFilter {
  /**
   * One search box (1–100 characters): a tracking code (answers that case alone), the caller's
   * phone however written, a 15-digit grid code, or a keyword in the title, description or address.
   */
  q?: string
  state?: CaseState[]
  category?: string
  area?: string
  /** A grid's cases (15-digit grid code). */
  grid?: string
  channel?: Channel
  supervised?: boolean
  /** Cases waiting for the centre's decision (a return to review, an extension or a suspension to decide). */
  awaiting?: AwaitingFilter
  created_from?: string
  created_to?: string
  /** Overdue (red) or warned (yellow) cases only. */
  card?: Card
}

/** The query string of a case filter (only the parameters that are set), then `extra`. */
export function filterQuery(f: CaseFilter, extra: Record<string, string | number | undefined> = {}): string {
  return query({
    q: f.q?.trim() || undefined,
    state: f.state?.length ? f.state.join(',') : undefined,
    category: f.category,
    area: f.area,
    grid: f.grid,
    channel: f.channel,
    supervised: f.supervised === undefined ? undefined : String(f.supervised),
    awaiting: f.awaiting,
    created_from: f.created_from,
    created_to: f.created_to,
    card: f.card,
    ...extra,
  })
}

/**
 * Uploads one photo as the request body (`POST /attachments`), reporting the share sent so far
 * (0–1) to `onProgress`. XMLHttpRequest rather than fetch, for the upload progress.
 */
export function uploadPhoto(file: Blob, onProgress?: (share: number) => void, signal?: AbortSignal): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/v1/attachments')
    xhr.withCredentials = true
    xhr.setRequestHeader('content-type', file.type)
    xhr.setRequestHeader('accept', 'application/json')
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.total ? e.loaded / e.total : 0)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as Attachment)
        } catch {
          reject(new ApiError(xhr.status, 'internal', xhr.responseText.slice(0, 200)))
        }
      } else reject(apiErrorOf(xhr.status, xhr.statusText, xhr.responseText))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', 'upload failed'))
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'upload cancelled'))
    signal?.addEventListener('abort', () => xhr.abort())
    xhr.send(file)
  })
}

/** A photo of the handling unit's reply, for the reporter with the receipt (`thumb`: its thumbnail). */
export const replyPhotoUrl = (code: string, id: string, receipt: string, thumb = false) =>
  `/api/v1/track/${encodeURIComponent(code)}/photos/${encodeURIComponent(id)}` + query({ receipt, thumb: thumb ? 'true' : undefined })

/** The addresses of an uploaded photo and of its thumbnail. */
export const photoUrl = (id: string) => `/api/v1/attachments/${encodeURIComponent(id)}`
export const thumbUrl = (id: string) => `/api/v1/attachments/${encodeURIComponent(id)}/thumb`

const caseUrl = (id: string) => `/cases/${encodeURIComponent(id)}`

export const caseApi = {
  /** The queue with the same filters as an Excel sheet (at most 10,000 rows, phones masked). */
  exportUrl: (f: CaseFilter) => '/api/v1/cases/export.xlsx' + filterQuery(f),
  cases: (f: CaseFilter, cursor?: string, limit = 50) => request<CasePage>('GET', '/cases' + filterQuery(f, { cursor, limit })),
  counts: (f: CaseFilter) => request<Counts>('GET', '/cases/counts' + filterQuery({ ...f, state: undefined })),
  /** Cases per grid, same filters as the list (open states when no state is given). */
  gridCounts: (f: CaseFilter) => request<Record<string, number>>('GET', '/cases/counts/grids' + filterQuery(f)),
  /** Returns to review, extensions and suspensions to decide, handled cases to verify, under the same filters as the list. */
  awaitingCounts: (f: CaseFilter) => request<AwaitingCounts>('GET', '/cases/counts/awaiting' + filterQuery(f)),
  /** Overdue and warned cases under the same filters as the list (its `card` aside). */
  cardCounts: (f: CaseFilter) => request<CardCounts>('GET', '/cases/counts/cards' + filterQuery({ ...f, card: undefined })),
  case: (id: string) => request<CaseView>('GET', caseUrl(id)),
  events: (id: string) => request<EventView[]>('GET', `${caseUrl(id)}/events`),
  contact: (id: string) => request<{ reporter_phone: string | null }>('GET', `${caseUrl(id)}/contact`),
  /** The caller's other cases (same phone) the reader may see, newest first, at most 20; no phone shown. */
  sameCaller: (id: string) => request<CasePage>('GET', `${caseUrl(id)}/same-caller`),
  act: (id: string, action: Action, body: Record<string, unknown>) => request<CaseView>('POST', `${caseUrl(id)}/actions/${action}`, body),
  report: (c: NewCase) => request<CreatedCase>('POST', '/cases', c),
  /** With the reporter's receipt, the handling unit's reply comes too. */
  nearby: (lon: number, lat: number) => request<NearbyReport[]>('GET', '/nearby' + query({ lon, lat })),
  track: (code: string, receipt?: string) => request<TrackView>('GET', `/track/${encodeURIComponent(code)}` + query({ receipt: receipt || undefined })),
  rate: (code: string, receipt: string, rating: Rating, comment?: string) =>
    request<TrackView>('POST', `/track/${encodeURIComponent(code)}/rate`, { receipt, rating, comment: comment || null }),
}

/**
 * One page of `limit` cases for a person reading a list: a rare filter can answer a short page
 * with a cursor (the server stops its walk after a bounded number of rows), so the cursor is
 * followed up to `hops` more times to fill the page.
 */
export async function fullPage(f: CaseFilter, cursor: string | undefined, limit = 50, hops = 4): Promise<CasePage> {
  const page = await caseApi.cases(f, cursor, limit)
  const items = [...page.items]
  let next = page.next_cursor
  for (let n = 0; n < hops && next && items.length < limit; n++) {
    const more = await caseApi.cases(f, next, limit - items.length)
    items.push(...more.items)
    next = more.next_cursor
  }
  return { items, next_cursor: next }
}

/**
 * Every page of a list, up to `max` cases (for dashboards and maps). A rare filter can answer a
 * short or empty page that still has a cursor; `maxPages` bounds how far that is followed.
 */
export async function allCases(f: CaseFilter, max = 1000, maxPages = 50): Promise<CaseView[]> {
  const out: CaseView[] = []
  let cursor: string | undefined
  for (let n = 0; n < maxPages && out.length < max; n++) {
    const page = await caseApi.cases(f, cursor, Math.min(200, max - out.length))
    out.push(...page.items)
    if (!page.next_cursor) break
    cursor = page.next_cursor
  }
  return out
}

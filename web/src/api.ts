// The public HTTP API under /api/v1, typed. The browser session is the HttpOnly cookie the
// server sets at login, so requests only need `credentials: 'same-origin'`.

export type CaseState =
  | 'reported' | 'accepted' | 'rejected' | 'dispatched' | 'in_progress' | 'returned'
  | 'handled' | 'closed' | 'rated' | 'suspended' | 'merged'
export type Channel = 'grid_worker' | 'resident' | 'hotline' | 'iot' | 'mediation' | 'inspection' | 'open311'
export type Action =
  | 'accept' | 'reject' | 'dispatch' | 'claim' | 'return' | 'request_extension' | 'decide_extension'
  | 'handle' | 'verify' | 'rate' | 'escalate' | 'supervise' | 'merge' | 'suspend' | 'resume'
  | 'close_on_spot' | 'instruct' | 'reopen' | 'locate'
export type Role =
  | 'resident' | 'grid_worker' | 'community_admin' | 'town_dispatcher' | 'district_dispatcher'
  | 'department_handler' | 'mediator' | 'leader' | 'admin'
export type Rating = 'satisfied' | 'basically_satisfied' | 'unsatisfied'
export type Priority = 'normal' | 'high' | 'urgent'
export type AreaLevel = 'province' | 'city' | 'county' | 'town' | 'village'

export const STATES: CaseState[] = [
  'reported', 'accepted', 'dispatched', 'in_progress', 'returned', 'handled', 'suspended',
  'closed', 'rated', 'rejected', 'merged',
]
export const OPEN_STATES: CaseState[] = ['reported', 'accepted', 'dispatched', 'in_progress', 'returned', 'handled', 'suspended']
export const CHANNELS: Channel[] = ['resident', 'grid_worker', 'hotline', 'iot', 'mediation', 'inspection', 'open311']
export const RATINGS: Rating[] = ['satisfied', 'basically_satisfied', 'unsatisfied']

export interface User {
  id: string
  username: string
  display_name: string
  role: Role
  scope: string
  department: string | null
}
export interface AreaRef { code: string; name: string; level: AreaLevel }
export interface AreaView extends AreaRef { parent: string | null; path: AreaRef[] }
export interface CategoryRef { code: string; name: string; name_en: string }
export interface Category extends CategoryRef { parent: string | null; priority: Priority; handling_level: AreaLevel }
export interface Department { id: string; name: string; name_en: string; area: string; categories: string[] }
export interface Location { lon: number; lat: number }
/** Coordinate systems the API converts from (China's GCJ-02 and Baidu's BD-09 included). */
export type Crs = 'wgs84' | 'gcj02' | 'bd09' | 'cgcs2000'
/** How a case's place was found. */
export type LocatedBy = 'point' | 'address' | 'area' | 'person'
export interface AddressCandidateRef { id: number; text: string; confidence: number }
/** The outcome of placing a report (`located` on a case). */
export interface LocationFix {
  method: LocatedBy
  grid?: string | null
  crs?: string | null
  input?: Location | null
  on_border?: boolean
  address_id?: number | null
  matched_address?: string | null
  confidence?: number | null
  candidates?: AddressCandidateRef[]
  needs_confirmation?: boolean
  note?: string | null
}

// GeoJSON, as much of it as the maps need.
export type Position = number[]
export interface Geometry {
  type: 'Polygon' | 'MultiPolygon' | 'Point' | 'LineString' | 'MultiLineString'
  coordinates: unknown
}
export interface Feature<P = Record<string, unknown>> {
  type: 'Feature'
  id?: string | number
  properties: P
  geometry: Geometry | null
}
export interface FeatureCollection<P = Record<string, unknown>> { type: 'FeatureCollection'; features: Feature<P>[] }
/** The people of a grid (usernames); only staff readers get them. */
export interface GridStaff { chief?: string[]; full_time?: string[]; part_time?: string[]; police?: string[] }
export interface GridProps {
  code: string
  name: string
  type: string
  type_label: string
  community: string
  community_name: string
  households: number | null
  population: number | null
  version: number
  valid_from: string
  staff?: GridStaff
}
export type GridFeature = Feature<GridProps>
export interface GridVersion {
  version: number
  valid_from: string
  valid_to: string | null
  changed_by: string
  name: string
  type: string
  households: number | null
  population: number | null
}
export interface GridDetail extends GridFeature { versions: GridVersion[] }
export interface BoundaryProps { code: string; name: string; level: AreaLevel }
/** `GET /locate`: the grid and area a point falls in. */
export interface LocateResult {
  lon: number
  lat: number
  grid: string | null
  on_border: boolean
  area: AreaRef | null
  path: AreaRef[]
  needs_confirmation: boolean
}
export interface AddressMatchCandidate { id: number; text: string; confidence: number; grid: string | null; lon: number | null; lat: number | null }
export interface AddressMatch {
  components: { label: string; text: string; start: number; end: number }[]
  area: AreaRef | null
  candidates: AddressMatchCandidate[]
  best: number | null
  confirm_below: number
}

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
  assignee: { kind: 'department' | 'area'; id: string; name: string } | null
  handler_user_id: string | null
  supervised: boolean
  extension_requested_until: string | null
  extended_until: string | null
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
}
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
export interface NewUser {
  username: string
  display_name?: string
  role: Role
  scope: string
  department?: string
  password: string
}
/** `PATCH /admin/users/{id}`: absent fields stay; `department: null` removes it. */
export interface UserUpdate {
  display_name?: string
  role?: Role
  scope?: string
  department?: string | null
  password?: string
}
/** `PUT /admin/categories/{code}`. */
export interface CategoryInput { name: string; name_en: string; priority: Priority; handling_level: AreaLevel }
export const PRIORITIES: Priority[] = ['normal', 'high', 'urgent']
/** The levels a category may be handled at (not the province). */
export const HANDLING_LEVELS: AreaLevel[] = ['city', 'county', 'town', 'village']

/** The patrol and visit log (巡查走访). */
export type PatrolKind = 'patrol' | 'visit'
export interface NewPatrol { kind: PatrolKind; note: string; location?: { lon: number; lat: number; crs?: Crs } }
export interface PatrolEntry {
  id: string
  username: string
  kind: PatrolKind
  area: string
  /** The grid (15-digit code) the entry's point lies in, when given and in the worker's area. */
  grid: string | null
  location: Location | null
  note: string
  at: string
}
export interface DepartmentInput { name: string; name_en: string; area: string; categories: string[] }

// ---- time limits, supervision, escalation and evaluation

/** The steps that run against a time limit: 受理, 派遣, 处置, 核查. */
export type DeadlineStep = 'accept' | 'dispatch' | 'handle' | 'verify'
export const DEADLINE_STEPS: DeadlineStep[] = ['accept', 'dispatch', 'handle', 'verify']
/** `hours` are natural hours (the calendar's own answers spell them `natural_hours`). */
export type TimeUnit = 'working_days' | 'working_hours' | 'hours' | 'natural_hours'
export interface TimeLimit { amount: number; unit: TimeUnit }
/** The current step's time limit of a case (or the one an event set). */
export interface StepDeadline {
  step: DeadlineStep
  started: string
  warn: string
  due: string
  limit: TimeLimit
  /** The count ran through a year the working calendar lacks: weekends only there. */
  weekends_only: boolean
  /** Set while the case is suspended (挂起): the clock stands still. */
  paused_at: string | null
}
/** red: overdue (超期); yellow: warning (预警). */
export type Card = 'red' | 'yellow'
export interface CardCounts { red: number; yellow: number }

/** In-app notices (消息). */
export type InboxKind = 'dispatched' | 'deadline_warned' | 'overdue' | 'supervised' | 'returned' | 'closed' | 'rated'
export interface InboxItem {
  id: string
  message_id: string
  case_id: string
  case_code: string
  kind: InboxKind | string
  title: string
  body: string
  created_at: string
  read_at: string | null
}
export interface Inbox { items: InboxItem[]; unread: number }

/** 考核: the units an evaluation ranks. */
export type EvalBy = 'department' | 'town' | 'community' | 'grid' | 'worker'
export const EVAL_BYS: EvalBy[] = ['department', 'town', 'community', 'grid', 'worker']
export type EvalMetric = 'response' | 'on_time' | 'resolution' | 'satisfaction' | 'reopen' | 'return'
export const EVAL_METRICS: EvalMetric[] = ['response', 'on_time', 'resolution', 'satisfaction', 'reopen', 'return']
export type EvalOutcome = 'hit' | 'miss' | 'all'
export interface EvalCounts {
  dispatched: number
  responded: number
  due: number
  on_time: number
  closed: number
  resolved: number
  rated: number
  satisfied: number
  reopened: number
  returned: number
}
export type EvalRates = Record<EvalMetric, number | null>
export type EvalHours = Record<DeadlineStep, number | null>
export interface EvalFigures { counts: EvalCounts; rates: EvalRates; avg_hours: EvalHours }
export interface EvalRow extends EvalFigures { rank: number | null; unit: { id: string; name: string }; score: number | null }
export interface Evaluation {
  period: { from: string; to: string }
  by: EvalBy
  /** The area evaluated: the reader's, or the one asked for inside it. */
  area?: AreaRef
  weights: Partial<Record<EvalMetric, number>>
  rows: EvalRow[]
  total: EvalFigures
}
export interface EvalQuery { from: string; to: string; by: EvalBy; area?: string }
/** A case behind an evaluation figure. `category` and `area` may be codes or references. */
export interface EvalCase {
  id: string
  code: string
  category: string | CategoryRef
  state: CaseState
  area: string | AreaRef | AreaRef[]
  created_at: string
}

/** The working calendar's years (`GET /admin/calendar`). */
export interface CalendarYear { year: number; source: 'shipped' | 'loaded'; loaded_at: string | null }
/** `GET /calendar/deadline`. */
export interface DeadlineCheck {
  start: string
  deadline: string
  rule: TimeLimit
  uncovered_years: number[]
  weekends_only: boolean
}

/** Filters of `GET /cases` and `GET /cases/counts`. */
export interface CaseFilter {
  state?: CaseState[]
  category?: string
  area?: string
  /** A grid's cases (15-digit grid code). */
  grid?: string
  channel?: Channel
  supervised?: boolean
  created_from?: string
  created_to?: string
  /** Overdue (red) or warned (yellow) cases only. */
  card?: Card
}

/** An error as the API answers it: `{"error": {"code", "message", "field", "details"?}}`. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field: string | null = null,
    public details: unknown = undefined,
  ) {
    super(message)
  }
}
type ErrorJson = { error?: { code: string; message: string; field: string | null; details?: unknown } }

/** Called when a request answers 401, so the app can send the user to the login. */
let onUnauthenticated: (() => void) | null = null
export function setUnauthenticatedHandler(f: (() => void) | null) {
  onUnauthenticated = f
}

/**
 * One API call. `body` goes as JSON, or as it is when `contentType` is given (a CSV file, say).
 * A 204 answers null.
 */
export async function request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } }
  if (body !== undefined) {
    init.body = contentType ? (body as BodyInit) : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] = contentType ?? 'application/json'
  }
  let res: Response
  try {
    res = await fetch('/api/v1' + path, init)
  } catch (e) {
    throw new ApiError(0, 'network', String(e))
  }
  const text = await res.text()
  let json: unknown = null
  if (text) {
    try {
      json = JSON.parse(text)
    } catch {
      throw new ApiError(res.status, 'internal', text.slice(0, 200))
    }
  }
  if (!res.ok) {
    const err = (json as ErrorJson | null)?.error
    const e = new ApiError(res.status, err?.code ?? 'internal', err?.message ?? res.statusText, err?.field ?? null, err?.details)
    if (res.status === 401 && e.code === 'unauthenticated' && onUnauthenticated) onUnauthenticated()
    throw e
  }
  return json as T
}

/** The query string of a case filter (only the parameters that are set). */
export function filterQuery(f: CaseFilter, extra: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams()
  if (f.state && f.state.length) q.set('state', f.state.join(','))
  if (f.category) q.set('category', f.category)
  if (f.area) q.set('area', f.area)
  if (f.grid) q.set('grid', f.grid)
  if (f.channel) q.set('channel', f.channel)
  if (f.supervised !== undefined) q.set('supervised', String(f.supervised))
  if (f.created_from) q.set('created_from', f.created_from)
  if (f.created_to) q.set('created_to', f.created_to)
  if (f.card) q.set('card', f.card)
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? '?' + s : ''
}

/** Parses an error body of the API (or answers a generic one). */
function apiErrorOf(status: number, statusText: string, text: string): ApiError {
  try {
    const err = (JSON.parse(text) as ErrorJson).error
    if (err) return new ApiError(status, err.code, err.message, err.field ?? null, err.details)
  } catch {
    /* not JSON */
  }
  return new ApiError(status, status === 413 ? 'payload_too_large' : 'internal', text.slice(0, 200) || statusText)
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

/** The addresses of an uploaded photo and of its thumbnail. */
export const photoUrl = (id: string) => `/api/v1/attachments/${encodeURIComponent(id)}`
export const thumbUrl = (id: string) => `/api/v1/attachments/${encodeURIComponent(id)}/thumb`

export const api = {
  login: (username: string, password: string) =>
    request<{ user: User; expires_at: string }>('POST', '/session', { username, password }),
  logout: () => request<unknown>('DELETE', '/session'),
  me: () => request<User>('GET', '/me'),
  cases: (f: CaseFilter, cursor?: string, limit = 50) =>
    request<CasePage>('GET', '/cases' + filterQuery(f, { cursor, limit })),
  counts: (f: CaseFilter) => request<Counts>('GET', '/cases/counts' + filterQuery({ ...f, state: undefined })),
  case: (id: string) => request<CaseView>('GET', `/cases/${encodeURIComponent(id)}`),
  events: (id: string) => request<EventView[]>('GET', `/cases/${encodeURIComponent(id)}/events`),
  contact: (id: string) => request<{ reporter_phone: string | null }>('GET', `/cases/${encodeURIComponent(id)}/contact`),
  act: (id: string, action: Action, body: Record<string, unknown>) =>
    request<CaseView>('POST', `/cases/${encodeURIComponent(id)}/actions/${action}`, body),
  report: (c: NewCase) => request<CreatedCase>('POST', '/cases', c),
  track: (code: string) => request<TrackView>('GET', `/track/${encodeURIComponent(code)}`),
  rate: (code: string, receipt: string, rating: Rating, comment?: string) =>
    request<TrackView>('POST', `/track/${encodeURIComponent(code)}/rate`, { receipt, rating, comment: comment || null }),
  area: (code: string) => request<AreaView>('GET', `/areas/${encodeURIComponent(code)}`),
  areaChildren: (code: string) => request<AreaRef[]>('GET', `/areas/${encodeURIComponent(code)}/children`),
  categories: () => request<Category[]>('GET', '/categories'),
  departments: (category?: string, area?: string) =>
    request<Department[]>('GET', '/departments' + filterQuery({}, { category, area })),
  /** The grids in force under an area (GeoJSON, WGS84); staff get each grid's staff too. */
  grids: (area?: string) => request<FeatureCollection<GridProps>>('GET', '/grids' + filterQuery({}, { area })),
  grid: (code: string) => request<GridDetail>('GET', `/grids/${encodeURIComponent(code)}`),
  /** Outlines of the district, towns and communities under an area. */
  boundaries: (area?: string) => request<FeatureCollection<BoundaryProps>>('GET', '/boundaries' + filterQuery({}, { area })),
  /** Cases per grid, same filters as the list (open states when no state is given). */
  gridCounts: (f: CaseFilter) => request<Record<string, number>>('GET', '/cases/counts/grids' + filterQuery(f)),
  locate: (lon: number, lat: number, crs: Crs = 'wgs84') =>
    request<LocateResult>('GET', '/locate' + filterQuery({}, { lon, lat, crs })),
  adminUsers: () => request<User[]>('GET', '/admin/users'),
  createUser: (u: NewUser) => request<User>('POST', '/admin/users', u),
  updateUser: (id: string, u: UserUpdate) => request<User>('PATCH', `/admin/users/${encodeURIComponent(id)}`, u),
  putDepartment: (id: string, d: DepartmentInput) => request<Department>('PUT', `/admin/departments/${encodeURIComponent(id)}`, d),
  putCategory: (code: string, c: CategoryInput) => request<Category>('PUT', `/admin/categories/${encodeURIComponent(code)}`, c),
  /** One day's log of the signed-in worker (`date` YYYY-MM-DD, China time; today by default). */
  patrols: (date?: string) => request<PatrolEntry[]>('GET', '/patrols' + filterQuery({}, { date })),
  addPatrol: (p: NewPatrol) => request<PatrolEntry>('POST', '/patrols', p),
  matchAddress: (q: string, limit = 5, area?: string) =>
    request<AddressMatch>('GET', '/addresses/match' + filterQuery({}, { q, limit, area })),
  /** Overdue and warned cases under the same filters as the list (its `card` aside). */
  cardCounts: (f: CaseFilter) => request<CardCounts>('GET', '/cases/counts/cards' + filterQuery({ ...f, card: undefined })),
  inbox: (unreadOnly = false, limit = 50) =>
    request<Inbox>('GET', '/inbox' + filterQuery({}, { unread_only: unreadOnly ? 'true' : undefined, limit })),
  inboxRead: (id: string) => request<null>('POST', `/inbox/${encodeURIComponent(id)}/read`),
  inboxReadAll: () => request<{ marked: number }>('POST', '/inbox/read-all'),
  evaluation: (q: EvalQuery) => request<Evaluation>('GET', '/evaluation' + evalQuery(q)),
  evaluationCases: (q: EvalQuery, unit: string, metric: EvalMetric, outcome: EvalOutcome) =>
    request<{ items: EvalCase[]; count: number }>('GET', '/evaluation/cases' + evalQuery(q, { unit, metric, outcome })),
  calendarYears: () => request<{ years: CalendarYear[] }>('GET', '/admin/calendar'),
  /** Loads a calendar CSV (`date,kind,name`); answers the years it covered. */
  loadCalendar: (csv: Blob | string) => request<{ years: number[] }>('POST', '/admin/calendar', csv, 'text/csv'),
  checkDeadline: (start: string, amount: number, unit: 'working_days' | 'working_hours' | 'hours') =>
    request<DeadlineCheck>('GET', '/calendar/deadline' + filterQuery({}, { start, [unit]: amount })),
}

/** The query string of an evaluation (period, grouping, area) and of its drill-down. */
export function evalQuery(q: EvalQuery, extra: Record<string, string | undefined> = {}): string {
  return filterQuery({}, { from: q.from, to: q.to, by: q.by, area: q.area || undefined, ...extra })
}

/** The Excel export of an evaluation: a plain download link. */
export const evaluationExportUrl = (q: EvalQuery) => '/api/v1/evaluation/export.xlsx' + evalQuery(q)

/** Every page of a list, up to `max` cases (for dashboards and maps). */
export async function allCases(f: CaseFilter, max = 1000): Promise<CaseView[]> {
  const out: CaseView[] = []
  let cursor: string | undefined
  while (out.length < max) {
    const page = await api.cases(f, cursor, Math.min(200, max - out.length))
    out.push(...page.items)
    if (!page.next_cursor || page.items.length === 0) break
    cursor = page.next_cursor
  }
  return out
}

// What each case action asks for, and how a dialog's form turns into the API's JSON body.
// The server decides which actions a reader may take (`allowed_actions`); this only knows
// their fields (README: "Actions and their fields").

import { PRIORITIES, type AreaRef, type Location, type Priority } from '@/core/api'
import type { Action, CaseView, Rating } from '../api'
import { MAX_PHOTOS } from './uploads'

export type FieldKind =
  | 'text' // one line
  | 'textarea'
  | 'decision' // yes or no, chosen explicitly: no default (通过/不通过, 同意/不同意)
  | 'datetime' // RFC 3339 in the body
  | 'department' // dispatch: department picker (filtered by category and area)
  | 'area' // dispatch: a lower area on the path to the case
  | 'rating'
  | 'target' // dispatch: department or area
  | 'photos' // uploaded photos' ids (PhotoUploader), sent as `attachments`
  | 'category' // reclassify: a subclass of the catalogue (CategoryPicker)
  | 'priority' // reclassify: normal, high or urgent; left out, the category's own

export interface FieldSpec {
  name: string
  kind: FieldKind
  required: boolean
  /** The label's key under `field.` when it is not the name (one name, two meanings). */
  label?: string
}

const f = (name: string, kind: FieldKind, required = true, label?: string): FieldSpec => (label ? { name, kind, required, label } : { name, kind, required })

export const ACTION_FIELDS: Record<Action, FieldSpec[]> = {
  accept: [f('note', 'textarea', false)],
  reject: [f('reason', 'textarea')],
  dispatch: [f('target', 'target'), f('department', 'department', false), f('area', 'area', false), f('instructions', 'textarea', false)],
  claim: [],
  return: [f('reason', 'textarea')],
  // 退单审核: accept the return (a wrong dispatch, back to 已受理) or refuse it (a comment then).
  review_return: [f('accepted', 'decision', true, 'review'), f('comment', 'textarea', false)],
  request_extension: [f('until', 'datetime'), f('reason', 'textarea')],
  decide_extension: [f('granted', 'decision', true, 'decision'), f('reason', 'textarea', false)],
  handle: [f('feedback', 'textarea'), f('attachments', 'photos', false)],
  verify: [f('passed', 'decision', true, 'verdict'), f('comment', 'textarea', false)],
  rate: [f('rating', 'rating'), f('comment', 'textarea', false)],
  escalate: [f('reason', 'textarea')],
  supervise: [f('instruction', 'textarea')],
  merge: [f('into', 'text')],
  suspend: [f('reason', 'textarea')],
  request_suspension: [f('reason', 'textarea')],
  decide_suspension: [f('granted', 'decision', true, 'decision'), f('reason', 'textarea', false)],
  resume: [f('note', 'textarea', false)],
  close_on_spot: [f('evidence', 'textarea'), f('attachments', 'photos', false)],
  instruct: [f('note', 'textarea')],
  reopen: [f('reason', 'textarea')],
  // Its own dialog (LocateDialog.vue): a grid, a point on the map or an address candidate.
  locate: [f('grid', 'text', false), f('note', 'textarea', false)],
  // 改类: the owning centre corrects the category (and priority); the server counts the running
  // step's time limit again. No default: the case's own category would be refused as no change.
  reclassify: [f('category', 'category'), f('priority', 'priority', false), f('reason', 'textarea')],
  // 撤回派遣: a dispatch nobody has claimed taken back, to be dispatched again.
  recall: [f('reason', 'textarea')],
  set_deadline: [f('until', 'datetime'), f('reason', 'textarea')],
}

/** Actions whose buttons are styled as the main next step of the case. */
export const PRIMARY_ACTIONS: Action[] = ['accept', 'dispatch', 'review_return', 'claim', 'handle', 'verify', 'rate', 'close_on_spot', 'resume']
/** Actions that end or turn back the case, styled as warnings. */
export const DANGER_ACTIONS: Action[] = ['reject', 'return', 'merge', 'suspend', 'reopen', 'escalate', 'recall']

export type FormValues = Record<string, string | boolean | string[] | null | undefined>

/** The blank form of an action: a decision is not taken yet (null), never 'yes' by default. */
export function emptyForm(action: Action): FormValues {
  const out: FormValues = {}
  for (const spec of ACTION_FIELDS[action]) {
    out[spec.name] = spec.kind === 'decision' ? null : spec.kind === 'target' ? 'department' : spec.kind === 'photos' ? [] : ''
  }
  return out
}

/** A decision's value in a form: true, false, or null while it is not taken. */
export function decisionValue(v: unknown): boolean | null {
  if (v === true || v === 'true') return true
  if (v === false || v === 'false') return false
  return null
}

/**
 * Whether the form marks a field as required: a required field (a decision included), and the
 * comment of a failed verification or of a refused return.
 */
export function isRequired(action: Action, spec: FieldSpec, form: FormValues): boolean {
  if (spec.name === 'comment') {
    if (action === 'verify') return form.passed === false
    if (action === 'review_return') return form.accepted === false
  }
  return spec.required
}

export type BuildResult = { ok: true; body: Record<string, unknown> } | { ok: false; field: string }

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

/**
 * The JSON body for `POST /cases/{id}/actions/{action}`, or the first field that is missing
 * (a decision not taken included). Optional text (and a priority) left blank is not sent; a priority is one of the three. `until`
 * must be a date in the future.
 */
export function buildBody(action: Action, form: FormValues, now: Date = new Date()): BuildResult {
  const body: Record<string, unknown> = {}
  for (const spec of ACTION_FIELDS[action]) {
    const v = form[spec.name]
    switch (spec.kind) {
      case 'target':
        break
      case 'department':
      case 'area': {
        // dispatch: exactly one of department or area, by the chosen target.
        if (form.target === spec.name) {
          if (blank(v)) return { ok: false, field: spec.name }
          body[spec.name] = v
        }
        break
      }
      case 'decision': {
        // Chosen explicitly: a decision left blank is missing, not a 'yes'.
        const d = decisionValue(v)
        if (d === null) return { ok: false, field: spec.name }
        body[spec.name] = d
        break
      }
      case 'photos':
        // Only when there are any; at most 9 (the uploader stops there too).
        if (Array.isArray(v) && v.length) body[spec.name] = v.slice(0, MAX_PHOTOS)
        break
      case 'priority':
        // Left out, the server takes the category's own.
        if (blank(v)) {
          if (spec.required) return { ok: false, field: spec.name }
        } else if (!isPriority(v)) {
          return { ok: false, field: spec.name }
        } else {
          body[spec.name] = v
        }
        break
      case 'datetime': {
        if (blank(v)) return { ok: false, field: spec.name }
        const d = new Date(String(v))
        if (Number.isNaN(d.getTime()) || d.getTime() <= now.getTime()) return { ok: false, field: spec.name }
        body[spec.name] = d.toISOString()
        break
      }
      default:
        if (blank(v)) {
          if (spec.required) return { ok: false, field: spec.name }
        } else {
          body[spec.name] = typeof v === 'string' ? v.trim() : v
        }
    }
  }
  // A failed verification, and a refused return, need a comment (the server says so too).
  if (action === 'verify' && body.passed === false && blank(body.comment)) return { ok: false, field: 'comment' }
  if (action === 'review_return' && body.accepted === false && blank(body.comment)) return { ok: false, field: 'comment' }
  return { ok: true, body }
}

/** The areas a case may be dispatched to: strictly below its owning centre, on the path to the case. */
export function dispatchAreas(c: Pick<CaseView, 'area' | 'owner_area'>): AreaRef[] {
  return c.area.filter((a) => a.code.length > c.owner_area.code.length && a.code.startsWith(c.owner_area.code))
}

export function isPriority(v: unknown): v is Priority {
  return (PRIORITIES as unknown[]).includes(v)
}

export function isRating(v: unknown): v is Rating {
  return v === 'satisfied' || v === 'basically_satisfied' || v === 'unsatisfied'
}

/** What the `locate` dialog holds: a grid, a point (WGS84, from the map or a candidate), a note. */
export interface LocateForm {
  grid: string
  point: Location | null
  note: string
}

/**
 * The body of the `locate` action: the grid and/or the point (the server places a point in its
 * grid when no grid is given), and the note if any. Without either, the missing field is `grid`.
 */
export function buildLocateBody(form: LocateForm): BuildResult {
  const body: Record<string, unknown> = {}
  const grid = form.grid.trim()
  if (grid) body.grid = grid
  if (form.point && Number.isFinite(form.point.lon) && Number.isFinite(form.point.lat)) {
    body.location = { lon: form.point.lon, lat: form.point.lat, crs: 'wgs84' }
  }
  if (!body.grid && !body.location) return { ok: false, field: 'grid' }
  if (form.note.trim()) body.note = form.note.trim()
  return { ok: true, body }
}

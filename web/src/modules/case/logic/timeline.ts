// The lines shown under each event of a case's log.
import { chinaMinute, type T } from '@/core/logic/format'
import { DEADLINE_STEPS, type DeadlineStep } from '@/modules/timelimit/api'
import type { EventView } from '../api'

export interface Detail {
  key: string
  /** i18n key of the label. */
  label: string
  value: string
  /** True when `value` (and `from`) is itself an i18n key. */
  translate?: boolean
  /** A change: what it was before `value` ("类别：暴露垃圾 → 私搭乱建"). */
  from?: string
}

const TEXT_FIELDS: [string, string][] = [
  ['description', 'case.description'],
  ['note', 'field.note'],
  ['reason', 'field.reason'],
  ['instructions', 'field.instructions'],
  ['instruction', 'field.instruction'],
  ['feedback', 'field.feedback'],
  ['evidence', 'field.evidence'],
  ['comment', 'field.comment'],
]

/** What an event says besides its type, actor and time. */
export function timelineDetails(e: EventView): Detail[] {
  const d = e.data ?? {}
  const out: Detail[] = []
  // reclassify (改类): the category from → to (codes: the timeline names them), and the priority
  // when it changed too; then its reason.
  if (e.type === 'reclassified') {
    if (typeof d.category === 'string') {
      out.push({ key: 'category', label: 'field.category', value: d.category, ...(typeof d.from === 'string' ? { from: d.from } : {}) })
    }
    if (typeof d.priority === 'string' && d.priority !== d.from_priority) {
      const from = typeof d.from_priority === 'string' ? { from: 'priority.' + d.from_priority } : {}
      out.push({ key: 'priority', label: 'field.priority', value: 'priority.' + d.priority, translate: true, ...from })
    }
  }
  for (const [k, label] of TEXT_FIELDS) {
    const v = d[k]
    if (typeof v === 'string' && v.trim()) out.push({ key: k, label, value: v })
  }
  const to = d.to as { kind?: string; id?: string } | string | undefined
  if (e.type === 'dispatched' && to && typeof to === 'object' && to.id) {
    out.push({ key: 'to', label: to.kind === 'area' ? 'field.targetArea' : 'field.targetDepartment', value: to.id })
  }
  if (e.type === 'escalated' && typeof d.to === 'string') out.push({ key: 'to', label: 'case.owner', value: d.to })
  if (typeof d.rating === 'string') out.push({ key: 'rating', label: 'field.rating', value: 'rating.' + d.rating, translate: true })
  if (typeof d.passed === 'boolean') out.push({ key: 'passed', label: 'field.passed', value: d.passed ? 'common.yes' : 'common.no', translate: true })
  if (typeof d.granted === 'boolean') {
    const label = e.type === 'suspension_decided' ? 'field.grantSuspension' : 'field.granted'
    out.push({ key: 'granted', label, value: d.granted ? 'common.yes' : 'common.no', translate: true })
  }
  if (typeof d.accepted === 'boolean') out.push({ key: 'accepted', label: 'field.accepted', value: d.accepted ? 'common.yes' : 'common.no', translate: true })
  if (typeof d.until === 'string') out.push({ key: 'until', label: 'field.until', value: chinaMinute(d.until) })
  if (typeof d.into === 'string') out.push({ key: 'into', label: 'case.mergedInto', value: d.into })
  // locate: where a person placed the case (its grid, else its area).
  if (e.type === 'located') {
    if (typeof d.grid === 'string') out.push({ key: 'grid', label: 'case.grid', value: d.grid })
    else if (typeof d.area === 'string') out.push({ key: 'area', label: 'case.area', value: d.area })
  }
  return out
}

/** A deadline shown on an event: one it set or moved (`until`), or the one it warns of (`due`). */
export interface EventDeadline {
  kind: 'until' | 'due'
  step: DeadlineStep
  due: string
}

const isStep = (s: unknown): s is DeadlineStep => typeof s === 'string' && (DEADLINE_STEPS as string[]).includes(s)

/**
 * The deadlines of an event: the step deadline it started or moved (`deadline`, "处置时限至 …"),
 * and for `deadline_warned` / `overdue` the one its data names ({step, due}), once.
 */
export function eventDeadlines(e: EventView): EventDeadline[] {
  const out: EventDeadline[] = []
  const d = e.data ?? {}
  if ((e.type === 'deadline_warned' || e.type === 'overdue') && isStep(d.step) && typeof d.due === 'string') {
    out.push({ kind: 'due', step: d.step, due: d.due })
  }
  const set = e.deadline
  if (set && isStep(set.step) && typeof set.due === 'string' && !out.some((x) => x.step === set.step && Date.parse(x.due) === Date.parse(set.due))) {
    out.push({ kind: 'until', step: set.step, due: set.due })
  }
  return out
}

/** Events the system raises by itself: the deadline ones, and the automatic rules' actions. */
const AUTO_RULES = ['supervised', 'escalated', 'reopened']

/** The automatic rule behind a system event (an i18n key: 逾期自动督办, …), or null. */
export function autoRule(e: EventView): string | null {
  return e.actor?.kind === 'system' && AUTO_RULES.includes(e.type) ? 'autoRule.' + e.type : null
}

/** The colour of an event on the timeline: red when overdue, orange when warned, else none. */
export function eventTone(e: EventView): 'danger' | 'warning' | undefined {
  if (e.type === 'overdue') return 'danger'
  if (e.type === 'deadline_warned') return 'warning'
  if (autoRule(e)) return 'danger'
  return undefined
}

/** Who did it: a person with their role (王五（街道调度员）), or 公众, 报事人, 系统. */
export function actorText(e: Pick<EventView, 'actor'>, t: T): string {
  if (e.actor.kind === 'user') return e.actor.role ? `${e.actor.name}（${t('role.' + e.actor.role)}）` : e.actor.name
  return t('actor.' + e.actor.kind)
}

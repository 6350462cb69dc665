// The lines shown under each event of a case's log.
import type { EventView } from '../api'

export interface Detail {
  key: string
  /** i18n key of the label. */
  label: string
  value: string
  /** True when `value` is itself an i18n key. */
  translate?: boolean
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
  if (typeof d.granted === 'boolean') out.push({ key: 'granted', label: 'field.granted', value: d.granted ? 'common.yes' : 'common.no', translate: true })
  if (typeof d.until === 'string') out.push({ key: 'until', label: 'field.until', value: d.until.slice(0, 16).replace('T', ' ') })
  if (typeof d.into === 'string') out.push({ key: 'into', label: 'case.mergedInto', value: d.into })
  // locate: where a person placed the case (its grid, else its area).
  if (e.type === 'located') {
    if (typeof d.grid === 'string') out.push({ key: 'grid', label: 'case.grid', value: d.grid })
    else if (typeof d.area === 'string') out.push({ key: 'area', label: 'case.area', value: d.area })
  }
  return out
}

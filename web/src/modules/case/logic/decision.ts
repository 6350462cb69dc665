// What a decision dialog shows above its fields: what is being decided (issue 20). Verifying, the
// handler's latest feedback and its photos; deciding an extension, the date asked for, its reason
// and the deadline now in force; deciding a suspension, its reason; reviewing a return, who sent
// it back and why. Read from the case and its event log.
import { fmtMoment, type T } from '@/core/logic/format'
import type { Action, CaseView, EventView } from '../api'
import { actorText } from './timeline'
import { caseAttachments, type AttachmentGroup } from './uploads'

export type DecisionAction = 'verify' | 'decide_extension' | 'decide_suspension' | 'review_return'

/** The event of the log each decision answers: its latest one is what is being decided. */
export const DECISION_EVENT: Record<DecisionAction, string> = {
  verify: 'handled',
  decide_extension: 'extension_requested',
  decide_suspension: 'suspension_requested',
  review_return: 'returned',
}

export const isDecisionAction = (a: Action | null | undefined): a is DecisionAction => !!a && a in DECISION_EVENT

/** The latest event of a type in a case's log (by `seq`), or null. */
export function lastEvent(events: readonly EventView[], type: string): EventView | null {
  let last: EventView | null = null
  for (const e of events) if (e.type === type && (!last || e.seq > last.seq)) last = e
  return last
}

/** One line of the context: a label and its text, `key` naming it (`context-<key>` on screen). */
export interface ContextRow {
  key: string
  label: string
  value: string
}

export interface DecisionContext {
  rows: ContextRow[]
  /** The handler's photos (verify), as CasePhotos shows them. */
  photos: AttachmentGroup[]
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null)

/**
 * What the dialog of `action` shows of `c` and its log `events`, or null for an action that
 * decides nothing. Moments are in China time (fmtMoment); what is not known reads 无.
 */
export function decisionContext(action: Action | null, c: CaseView, events: readonly EventView[], t: T, now: Date = new Date()): DecisionContext | null {
  if (!isDecisionAction(action)) return null
  const e = lastEvent(events, DECISION_EVENT[action])
  const none = t('common.none')
  const when = (iso: string | null | undefined) => (iso ? fmtMoment(iso, t, now) : none)
  const who = (ev: EventView | null) => (ev ? `${actorText(ev, t)} · ${fmtMoment(ev.at, t, now)}` : none)
  const row = (key: string, label: string, value: string | null): ContextRow => ({ key, label: t(label), value: value ?? none })
  const reason = text(e?.data?.reason)
  switch (action) {
    case 'verify':
      return {
        rows: [row('handled-by', 'decision.handledBy', e ? who(e) : null), row('feedback', 'field.feedback', text(e?.data?.feedback))],
        photos: e ? caseAttachments([], [e]) : [],
      }
    case 'decide_extension': {
      const inForce = c.deadline?.due ?? c.extended_until
      return {
        rows: [
          row('until', 'decision.requestedUntil', when(c.extension_requested_until ?? text(e?.data?.until))),
          row('reason', 'field.reason', reason),
          row('in-force', 'decision.inForce', inForce ? when(inForce) : null),
          row('requested-by', 'decision.requestedBy', e ? who(e) : null),
        ],
        photos: [],
      }
    }
    case 'decide_suspension':
      return {
        rows: [row('reason', 'field.reason', text(c.suspension_requested) ?? reason), row('requested-by', 'decision.requestedBy', e ? who(e) : null)],
        photos: [],
      }
    case 'review_return': {
      const by = c.returned_by?.name ?? (e ? actorText(e, t) : null)
      return {
        rows: [row('returned-by', 'decision.returnedBy', by && e ? `${by} · ${fmtMoment(e.at, t, now)}` : by), row('reason', 'field.reason', reason)],
        photos: [],
      }
    }
  }
}

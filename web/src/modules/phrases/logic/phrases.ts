// Which phrases a case dialog's field offers: instructions where a centre tells someone what to
// do, reasons where work is refused or sent back, feedback where a handler reports.
import type { PhraseKind } from '../api'

const KIND_OF: Record<string, PhraseKind> = {
  'dispatch.instructions': 'instruction',
  'supervise.instruction': 'instruction',
  'instruct.note': 'instruction',
  'reject.reason': 'rejection',
  'return.reason': 'rejection',
  'review_return.comment': 'rejection',
  'verify.comment': 'rejection',
  'decide_extension.reason': 'rejection',
  'decide_suspension.reason': 'rejection',
  'handle.feedback': 'feedback',
  'close_on_spot.evidence': 'feedback',
}

/** The kind of phrases for an action's field, or null when it offers none. */
export const phraseKindFor = (action: string, field: string): PhraseKind | null => KIND_OF[`${action}.${field}`] ?? null

/** `text` with `phrase` added: after what is written, on its own line; alone when nothing is. */
export function withPhrase(text: string, phrase: string): string {
  const t = text.trimEnd()
  return t ? `${t}\n${phrase}` : phrase
}

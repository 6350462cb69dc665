// New urgent cases (紧急) for the dispatcher: which of the reported cases are urgent and not yet
// seen on this page. The first look only learns what is there (no sound for what was waiting
// before the page opened); later looks announce what came since.
import type { CaseView } from '../api'

/** Urgent cases still waiting to be accepted, newest first as listed. */
export const urgentWaiting = (cases: readonly CaseView[]) => cases.filter((c) => c.priority === 'urgent' && c.state === 'reported')

/** The urgent cases of `cases` not in `seen`; adds them to `seen`. */
export function newUrgent(cases: readonly CaseView[], seen: Set<string>): CaseView[] {
  const fresh = urgentWaiting(cases).filter((c) => !seen.has(c.id))
  for (const c of fresh) seen.add(c.id)
  return fresh
}

/** A short two-tone chime through Web Audio (no sound file to ship or fetch). */
export function chime(): boolean {
  const Ctx = (window as unknown as { AudioContext?: typeof AudioContext }).AudioContext
  if (!Ctx) return false
  try {
    const ctx = new Ctx()
    const gain = ctx.createGain()
    gain.connect(ctx.destination)
    gain.gain.setValueAtTime(0.0001, ctx.currentTime)
    gain.gain.exponentialRampToValueAtTime(0.25, ctx.currentTime + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.9)
    for (const [f, at] of [[880, 0], [660, 0.3]] as const) {
      const o = ctx.createOscillator()
      o.frequency.value = f
      o.connect(gain)
      o.start(ctx.currentTime + at)
      o.stop(ctx.currentTime + at + 0.3)
    }
    setTimeout(() => ctx.close().catch(() => {}), 1500)
    return true
  } catch {
    return false
  }
}

// What waits for the signed-in dispatcher's decision (`GET /cases/counts/awaiting` over all the
// cases it may see): returns to review, extensions and suspensions to decide, handled cases to
// verify. One figure shared by the workbench's views and the menu's badge, so that a refresh by
// either shows in both: the menu's badge refreshes it with the inbox bell's polls (every 30 s,
// on a move to another screen, when the page comes back into view; `onPoll`), the workbench
// whenever its queue refreshes.
import { ref } from 'vue'
import { ApiError } from '@/core/http'
import { caseApi, type AwaitingCounts } from './api'

export const awaitingCounts = ref<AwaitingCounts | null>(null)

let inFlight: Promise<void> | null = null
/** A refresh asked while one is on its way: it runs once that one answered. */
let queued: Promise<void> | null = null
/** Bumped by a reset, so an answer fetched before it (another person's) is dropped. */
let generation = 0

/**
 * Fetches the counts afresh. One request at a time: asked while one is on its way (which may
 * have left before what changed), it asks once more after it, however often it was asked.
 */
export function refreshAwaiting(): Promise<void> {
  if (inFlight) {
    queued ??= inFlight.then(() => {
      queued = null
      return refreshAwaiting()
    })
    return queued
  }
  const gen = generation
  inFlight = caseApi
    .awaitingCounts({})
    .then(
      (x) => {
        if (gen === generation) awaitingCounts.value = x
      },
      (e) => {
        // A server without these counts shows none; another failure keeps the last figure.
        if (gen === generation && e instanceof ApiError && (e.status === 404 || e.status === 405)) awaitingCounts.value = null
      },
    )
    .finally(() => (inFlight = null))
  return inFlight
}

/** Forgets the counts (signing out, another person). */
export function resetAwaiting() {
  generation++
  awaitingCounts.value = null
}

// The signed-in person's notices, shared by the header's bell: polled every 30 s while the page
// is visible, on every route change, and at once when the page comes back into view. Read
// marks show at once and go to the server behind. Other figures of the header (the workbench's
// count of what waits for a decision) follow the same polls through `onPoll`, on the one timer.
import { ref } from 'vue'
import { ApiError } from '@/core/http'
import { inboxApi, type Inbox, type InboxItem } from './api'
import { allRead, markedRead } from './logic/inbox'

export const POLL_MS = 30_000
export const inbox = ref<Inbox | null>(null)
/** False once the server answered that it has no inbox (an older server): the bell hides. */
export const inboxAvailable = ref(true)

let timer: ReturnType<typeof setInterval> | null = null
let inFlight: Promise<void> | null = null
/** Bumped by every local change, so an answer fetched before it does not undo it. */
let generation = 0

const hidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden'

/** Fetches the notices (one request at a time). */
let inFlightGeneration = -1
export function refreshInbox(): Promise<void> {
  if (inFlight) return inFlightGeneration === generation ? inFlight : inFlight.then(refreshInbox)
  const gen = (inFlightGeneration = generation)
  inFlight = inboxApi
    .inbox(false, 50)
    .then(
      (x) => {
        inboxAvailable.value = true
        if (gen === generation) inbox.value = x
      },
      (e) => {
        if (e instanceof ApiError && (e.status === 404 || e.status === 405)) inboxAvailable.value = false
      },
    )
    .finally(() => (inFlight = null))
  return inFlight
}

const pollers = new Set<() => void>()

/**
 * Runs `fn` with every poll of the bell (at the start, every 30 s while the page is visible, when
 * it comes back into view, on a move to another screen); answers the function that stops it.
 */
export function onPoll(fn: () => void): () => void {
  pollers.add(fn)
  return () => {
    pollers.delete(fn)
  }
}

/** One poll: the notices, and whatever follows the polls (`onPoll`). */
export function poll(): Promise<void> {
  for (const fn of pollers) {
    try {
      fn()
    } catch {
      /* a follower's failure is its own */
    }
  }
  return refreshInbox()
}

function onVisibility() {
  if (!hidden()) poll()
}

/** Starts polling (again); the first fetch is immediate. */
export function startInbox() {
  stopInbox()
  poll()
  timer = setInterval(() => {
    if (!hidden()) poll()
  }, POLL_MS)
  document.addEventListener('visibilitychange', onVisibility)
}

export function stopInbox() {
  if (timer) clearInterval(timer)
  timer = null
  document.removeEventListener('visibilitychange', onVisibility)
}

/** Forgets the notices (signing out). */
export function resetInbox() {
  stopInbox()
  generation++
  inbox.value = null
}

/** Marks one notice read: at once on screen, then on the server (refetched if that fails). */
export async function readNotice(n: InboxItem): Promise<void> {
  if (n.read_at || !inbox.value) return
  generation++
  inbox.value = markedRead(inbox.value, n.id, new Date().toISOString())
  try {
    await inboxApi.inboxRead(n.id)
  } catch {
    generation++
    await refreshInbox()
  }
}

/** Marks every notice read; answers how many the server marked. */
export async function readAllNotices(): Promise<number> {
  if (inbox.value) {
    generation++
    inbox.value = allRead(inbox.value, new Date().toISOString())
  }
  try {
    return (await inboxApi.inboxReadAll()).marked
  } finally {
    generation++
    await refreshInbox()
  }
}

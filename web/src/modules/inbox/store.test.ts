import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { inbox, inboxAvailable, onPoll, poll, POLL_MS, readAllNotices, readNotice, resetInbox, startInbox, stopInbox } from './store'

const item = (id: string, read = false) => ({
  id, message_id: 'm' + id, subject: { kind: 'case', id: 'c' + id }, subject_code: '20261123000042', kind: 'overdue',
  title: '工单已超期', body: '处置时限已过', created_at: '2026-11-23T10:00:00+08:00', read_at: read ? '2026-11-23T11:00:00+08:00' : null,
})

function json(body: unknown, status = 200) {
  return Promise.resolve(new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))
}
const flush = () => vi.advanceTimersByTimeAsync(0)

let calls: [string, string][]
let answer: () => Promise<Response>

beforeEach(() => {
  vi.useFakeTimers()
  calls = []
  answer = () => json({ items: [item('1'), item('2'), item('3', true)], unread: 2 })
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    calls.push([init?.method ?? 'GET', url])
    if (url.endsWith('/read')) return json(null, 204)
    if (url.endsWith('/read-all')) return json({ marked: 1 })
    return answer()
  })
})
afterEach(() => {
  resetInbox()
  inboxAvailable.value = true
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('inbox polling', () => {
  it('fetches at once and every 30 s', async () => {
    startInbox()
    await flush()
    expect(calls).toEqual([['GET', '/api/v1/inbox?limit=50']])
    expect(inbox.value?.unread).toBe(2)
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(calls).toHaveLength(2)
    stopInbox()
    await vi.advanceTimersByTimeAsync(3 * POLL_MS)
    expect(calls).toHaveLength(2)
  })

  it('does not poll a hidden page', async () => {
    const vis = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    startInbox()
    await flush()
    await vi.advanceTimersByTimeAsync(2 * POLL_MS)
    expect(calls).toHaveLength(1) // the first fetch only
    vis.mockReturnValue('visible')
    document.dispatchEvent(new Event('visibilitychange'))
    await flush()
    expect(calls).toHaveLength(2)
    vis.mockRestore()
  })

  it('runs what follows its polls with each of them, on the one timer', async () => {
    const vis = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible')
    const follower = vi.fn()
    const stop = onPoll(follower)
    startInbox()
    await flush()
    expect(follower).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(follower).toHaveBeenCalledTimes(2)
    // the page coming back into view, a move to another screen (the bell's poll())
    document.dispatchEvent(new Event('visibilitychange'))
    await poll()
    expect(follower).toHaveBeenCalledTimes(4)
    // a hidden page is not polled, for the followers either
    vis.mockReturnValue('hidden')
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(follower).toHaveBeenCalledTimes(4)
    vis.mockReturnValue('visible')
    // a follower that throws does not stop the notices
    const failing = onPoll(() => {
      throw new Error('boom')
    })
    const before = calls.length
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(follower).toHaveBeenCalledTimes(5)
    expect(calls.length).toBe(before + 1)
    failing()
    stop()
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(follower).toHaveBeenCalledTimes(5)
    vis.mockRestore()
  })

  it('hides the bell when the server has no inbox', async () => {
    answer = () => json({ error: { code: 'not_found', message: 'no route', field: null } }, 404)
    startInbox()
    await flush()
    expect(inboxAvailable.value).toBe(false)
    expect(inbox.value).toBeNull()
  })
})

describe('read marks', () => {
  it('reads a notice at once and tells the server', async () => {
    startInbox()
    await flush()
    const p = readNotice(inbox.value!.items[0])
    expect(inbox.value!.unread).toBe(1)
    expect(inbox.value!.items[0].read_at).not.toBeNull()
    await p
    expect(calls).toContainEqual(['POST', '/api/v1/inbox/1/read'])
    // a read notice is not sent again
    await readNotice(inbox.value!.items[0])
    expect(calls.filter(([m]) => m === 'POST')).toHaveLength(1)
  })

  it('keeps a read mark when an older poll answers after it', async () => {
    let release!: () => void
    answer = () => new Promise((r) => (release = () => r(new Response(JSON.stringify({ items: [item('1')], unread: 1 })))))
    startInbox()
    await flush()
    // the first answer is still on its way: nothing to mark yet; give it an inbox
    inbox.value = { items: [item('1')], unread: 1 }
    const p = readNotice(inbox.value.items[0])
    release()
    await p
    await flush()
    expect(inbox.value!.unread).toBe(0)
  })

  it('reads all and refetches', async () => {
    startInbox()
    await flush()
    answer = () => json({ items: [item('1', true), item('2', true), item('3', true)], unread: 0 })
    expect(await readAllNotices()).toBe(1)
    expect(calls).toContainEqual(['POST', '/api/v1/inbox/read-all'])
    expect(inbox.value!.unread).toBe(0)
    expect(calls.at(-1)).toEqual(['GET', '/api/v1/inbox?limit=50'])
  })
})

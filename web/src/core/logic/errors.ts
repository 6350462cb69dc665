// An error for a person, in their language. The API answers a stable `code` and figures in
// `details` beside an English `message` (core/http.ts's ApiError); the sentence shown is worded
// here from the code and the figures, so no English reaches a Chinese screen. Only where the
// server's words are the point — what is wrong with a field or a file — is its message kept,
// after a sentence in the reader's language.
import { ApiError } from '../http'
import type { T } from './format'

/** The codes worded by `errors.<code>` alone, the sentence needing no figure. */
const PLAIN = new Set([
  'unauthenticated',
  'forbidden',
  'bad_receipt',
  'not_found',
  'illegal_transition',
  'conflict',
  'payload_too_large',
  'malformed_json',
  'unknown_action',
  'rate_limited',
  'unavailable',
  'aborted',
])

/** `details.<name>` when it is a number. */
function figure(details: unknown, name: string): number | null {
  const v = (details as Record<string, unknown> | null | undefined)?.[name]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

/** The key of a sentence with a count: `<key>One` where the language says "1 minute", else `<key>`. */
function counted(key: string, n: number, locale: string): string {
  let one = false
  try {
    one = new Intl.PluralRules(locale).select(n) === 'one'
  } catch {
    one = n === 1 && locale.startsWith('en')
  }
  return one ? key + 'One' : key
}

/** Whether `e` says the server was never reached: no network, offline, the fetch failed. */
export function isNetworkError(e: unknown): boolean {
  if (e instanceof ApiError) return e.code === 'network' || (e.status === 0 && e.code !== 'aborted')
  if (e instanceof TypeError) {
    // What fetch throws when nothing answers: Chrome "Failed to fetch", Firefox "NetworkError
    // when attempting to fetch resource.", Safari "Load failed".
    if (/fetch|network|load failed/i.test(e.message)) return true
    return typeof navigator !== 'undefined' && navigator.onLine === false
  }
  return typeof DOMException !== 'undefined' && e instanceof DOMException && e.name === 'NetworkError'
}

/**
 * What went wrong, as one sentence in the reader's language: an ApiError by its code and its
 * details (attempts left, minutes locked, the incident of a server error), a failed fetch as
 * "cannot reach the server"; a code this UI does not know shows the server's message. `locale`
 * picks the singular of the counted sentences ("1 attempt left").
 */
export function errorText(e: unknown, t: T, locale = 'zh-CN'): string {
  if (isNetworkError(e)) return t('errors.network')
  if (!(e instanceof ApiError)) {
    const err = e as { code?: unknown; message?: unknown } | null
    // An API error shaped like ApiError but not one (a test double, another realm).
    if (err && typeof err.code === 'string') {
      const like = err as Partial<ApiError>
      return errorText(new ApiError(like.status ?? 500, err.code, String(err.message ?? ''), like.field ?? null, like.details, like.incident ?? null), t, locale)
    }
    if (e instanceof Error) return e.message || String(e)
    return e === undefined || e === null ? t('errors.internal') : String(e)
  }
  const { code, details, message } = e
  switch (code) {
    case 'invalid_credentials': {
      const left = figure(details, 'attempts_left')
      const locked = figure(details, 'locked_minutes')
      if (locked !== null && (left === null || left <= 0)) return t(counted('errors.lockedNow', locked, locale), { m: locked })
      if (left !== null && left > 0) return t(counted('errors.attemptsLeft', left, locale), { n: left })
      return t('errors.invalid_credentials')
    }
    case 'account_locked': {
      const m = figure(details, 'retry_minutes')
      return m !== null && m > 0 ? t(counted('errors.retryIn', m, locale), { m }) : t('errors.account_locked')
    }
    case 'internal': {
      // A proxy's 502/503/504 page is no JSON: http.ts calls it `internal`, but the server is away.
      if (!e.incident && e.status >= 502 && e.status <= 504) return t('errors.unavailable')
      const incident = e.incident ?? /incident\s+([0-9a-z]+)/i.exec(message)?.[1]
      return incident ? t('errors.internalIncident', { incident }) : t('errors.internal')
    }
    case 'invalid_field':
      return message ? t('errors.invalidInput', { message }) : t('errors.invalid_field')
    case 'invalid_file':
      return message ? t('errors.invalidFile', { message }) : t('errors.invalid_file')
    case 'duplicate': {
      // The server says "<field> `<value>` already exists": the value is the reader's own words.
      const value = /`([^`]*)`/.exec(message)?.[1]
      return value ? t('errors.duplicateValue', { value }) : t('errors.duplicate')
    }
  }
  if (PLAIN.has(code)) return t('errors.' + code)
  return message || code
}

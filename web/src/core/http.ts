// The HTTP client every module's api.ts calls: JSON in and out under /api/v1, the API's errors
// as ApiError. The browser session is the HttpOnly cookie the server sets at login, so requests
// only need `credentials: 'same-origin'`.

/**
 * An error as the API answers it: `{"error": {"code", "message", "field", "details"?, "incident"?}}`.
 * The message is the server's English; core/logic/errors.ts's `errorText` words it for the reader.
 */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field: string | null = null,
    public details: unknown = undefined,
    /** For `internal`: the id under which the server logged the cause. */
    public incident: string | null = null,
  ) {
    super(message)
  }
}
type ErrorJson = { error?: { code: string; message: string; field: string | null; details?: unknown; incident?: string } }

/** Called when a request answers 401, so the app can send the user to the login. */
let onUnauthenticated: (() => void) | null = null
export function setUnauthenticatedHandler(f: (() => void) | null) {
  onUnauthenticated = f
}

/**
 * One API call. `body` goes as JSON, or as it is when `contentType` is given (a CSV file, say).
 * A 204 answers null.
 */
export async function request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } }
  if (body !== undefined) {
    init.body = contentType ? (body as BodyInit) : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] = contentType ?? 'application/json'
  }
  let res: Response
  try {
    res = await fetch('/api/v1' + path, init)
  } catch (e) {
    throw new ApiError(0, 'network', String(e))
  }
  const text = await res.text()
  let json: unknown = null
  if (text) {
    try {
      json = JSON.parse(text)
    } catch {
      throw new ApiError(res.status, 'internal', text.slice(0, 200))
    }
  }
  if (!res.ok) {
    const err = (json as ErrorJson | null)?.error
    const e = new ApiError(res.status, err?.code ?? 'internal', err?.message ?? res.statusText, err?.field ?? null, err?.details, err?.incident ?? null)
    if (res.status === 401 && e.code === 'unauthenticated' && onUnauthenticated) onUnauthenticated()
    throw e
  }
  return json as T
}

/** A query string of the parameters that are set (`?a=1&b=x`, or '' when none is). */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? '?' + s : ''
}

/**
 * An error body of the API as an ApiError (or a generic one): for answers that did not come
 * through `request`, such as an XMLHttpRequest upload.
 */
export function apiErrorOf(status: number, statusText: string, text: string): ApiError {
  try {
    const err = (JSON.parse(text) as ErrorJson).error
    if (err) return new ApiError(status, err.code, err.message, err.field ?? null, err.details, err.incident ?? null)
  } catch {
    /* not JSON */
  }
  return new ApiError(status, status === 413 ? 'payload_too_large' : 'internal', text.slice(0, 200) || statusText)
}

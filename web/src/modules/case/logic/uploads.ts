// Photos of a report, a handling or a close on the spot: what may be uploaded (checked before
// sending, the server checks again), what an upload error means for the person, and how a case's
// attachments (photo ids or http(s) URLs) are told apart.
import type { EventView } from '../api'

/** At most this many attachments per report or action (the API's limit). */
export const MAX_PHOTOS = 9
/** At most 10 MiB per photo. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024
/** The image types the API takes. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp']

/** Why a file may not be uploaded (an i18n key under `photo.`), or null when it may. */
export type PhotoProblem = 'badType' | 'tooLarge' | 'empty' | null

export function checkPhoto(f: { type: string; size: number }): PhotoProblem {
  if (!PHOTO_TYPES.includes(f.type.toLowerCase())) return 'badType'
  if (f.size === 0) return 'empty'
  if (f.size > MAX_PHOTO_BYTES) return 'tooLarge'
  return null
}

/** How many of `picked` files fit beside `have` photos already there. */
export function roomFor(have: number, picked: number, max = MAX_PHOTOS): number {
  return Math.max(0, Math.min(picked, max - have))
}

/** What an upload's API error means (an i18n key under `photo.`). */
export function uploadErrorKey(e: { status?: number; code?: string; field?: string | null }): string {
  if (e.code === 'payload_too_large' || e.status === 413) return 'tooLarge'
  if (e.code === 'invalid_field' && e.field === 'content-type') return 'badType'
  if (e.code === 'invalid_field' && e.field === 'body') return 'notImage'
  if (e.code === 'network' || e.status === 0) return 'network'
  return 'failed'
}

/** A size for people: 512 KB, 1.5 MB. */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

export const isUrl = (s: string) => /^https?:\/\//i.test(s)

/** Attachments split into uploaded photos (ids) and links (http(s) URLs). */
export function splitAttachments(list: readonly string[]): { photos: string[]; links: string[] } {
  const photos: string[] = []
  const links: string[] = []
  for (const a of list) (isUrl(a) ? links : photos).push(a)
  return { photos, links }
}

/** A group of a case's attachments: the report's, then each handling or close on the spot. */
export interface AttachmentGroup {
  /** `reported` or the event's type. */
  source: string
  at: string | null
  photos: string[]
  links: string[]
}

/** The attachments of a case and its events, each once, in the order they came. */
export function caseAttachments(caseAttachments: readonly string[], events: readonly EventView[], reportedAt: string | null = null): AttachmentGroup[] {
  const seen = new Set<string>()
  const groups: AttachmentGroup[] = []
  const add = (source: string, at: string | null, list: unknown) => {
    if (!Array.isArray(list)) return
    const fresh = list.filter((a): a is string => typeof a === 'string' && a.trim() !== '' && !seen.has(a))
    fresh.forEach((a) => seen.add(a))
    if (fresh.length) groups.push({ source, at, ...splitAttachments(fresh) })
  }
  const reported = events.find((e) => e.type === 'reported')
  add('reported', reported?.at ?? reportedAt, caseAttachments)
  for (const e of events) add(e.type, e.at, e.data?.attachments)
  return groups
}

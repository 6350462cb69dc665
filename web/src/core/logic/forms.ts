// What the forms of every module share: a body built from a form or the field that stops it, and
// an API refusal put on the input it names.
import { errorText } from './errors'
import type { T } from './format'

/** A body, or the first field that is missing (its name as the API spells it). */
export type Built<T> = { ok: true; body: T } | { ok: false; field: string }

/** The form field an API error belongs to: `categories[2]` → `categories`; a duplicate is the name's. */
export function errorField(e: { code?: string; field?: string | null }, duplicateField = 'username'): string | null {
  if (e.field) return e.field.replace(/\[\d+\]$/, '')
  if (e.code === 'duplicate') return duplicateField
  return null
}

/**
 * Where an API error shows in a form: on the input it names (one of `fields`), in the UI
 * language and then what the server said, else above the buttons. `badKey` gives the message of
 * a field's refusal (e.g. `admin.bad.<field>`); anything else is core/logic/errors.ts's sentence.
 */
export function formError(
  t: T,
  e: unknown,
  fields: readonly string[],
  duplicateField: string,
  badKey: (field: string, code: string | undefined) => string,
  locale?: string,
): { field: string; text: string } | { field: null; text: string } {
  const err = e as { code?: string; field?: string | null; message?: string }
  const f = errorField(err, duplicateField)
  if (!f || !fields.includes(f)) return { field: null, text: errorText(e, t, locale) }
  const ours = err.code === 'invalid_field' || err.code === 'duplicate'
  return { field: f, text: ours ? `${t(badKey(f, err.code))}（${err.message ?? ''}）` : errorText(e, t, locale) }
}

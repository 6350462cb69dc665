// The add-or-edit dialog every admin tab has (accounts, departments, categories): opened with a
// form's values and the record being edited (none when adding), the per-field errors and the
// dialog's own error, and a submit that closes on success and otherwise puts the API's refusal
// on the input it names. Written once here so the tabs keep only what differs: their form, their
// body and their API call.
import { reactive, shallowReactive } from 'vue'
import { formError } from './logic/forms'
import type { T } from './logic/format'

/** Where a tab's API refusals go: the form's fields, the field a duplicate belongs to, the message key of a field's refusal. */
export interface Refusals {
  fields: readonly string[]
  duplicate: string
  badKey: (field: string, code: string | undefined) => string
}

export function useEditDialog<F extends object, R>(empty: F, refusals: Refusals) {
  const dialog = shallowReactive({ open: false, editing: null as R | null, busy: false, error: '' })
  const form = reactive(empty) as F
  const errs = reactive<Record<string, string>>({})
  const clearErrs = () => Object.keys(errs).forEach((k) => delete errs[k])

  /** Opens the dialog on `values`, editing `editing` (or adding, with none). */
  function open(values: F, editing: R | null = null) {
    Object.assign(form, values)
    clearErrs()
    Object.assign(dialog, { open: true, editing, error: '' })
  }

  /** Clears the marks of the last try: the first step of every save. */
  function begin() {
    clearErrs()
    dialog.error = ''
  }

  /** Runs `send`; closes the dialog when it succeeds, else shows the refusal where it belongs, in `locale`. */
  async function submit(t: T, send: () => Promise<void>, locale?: string) {
    dialog.busy = true
    try {
      await send()
      dialog.open = false
    } catch (e) {
      const where = formError(t, e, refusals.fields, refusals.duplicate, refusals.badKey, locale)
      if (where.field) errs[where.field] = where.text
      else dialog.error = where.text
    } finally {
      dialog.busy = false
    }
  }

  return { dialog, form, errs, open, begin, submit }
}

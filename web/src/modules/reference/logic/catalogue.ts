// The departments and categories tabs' forms and the bodies they send.
import type { Category } from '@/core/api'
import type { Built } from '@/core/logic/forms'
import type { CategoryInput, DepartmentInput } from '../api'

export interface DepartmentForm extends DepartmentInput { id: string }

export const emptyDepartmentForm = (area = ''): DepartmentForm => ({ id: '', name: '', name_en: '', area, categories: [] })

/** `PUT /admin/departments/{id}`: the id, name, area and at least one category are needed. */
export function departmentBody(f: DepartmentForm, takenIds: readonly string[] = []): Built<DepartmentInput> & { id?: string } {
  const id = f.id.trim()
  if (!id || takenIds.includes(id)) return { ok: false, field: 'id' }
  if (!f.name.trim()) return { ok: false, field: 'name' }
  if (!f.area) return { ok: false, field: 'area' }
  if (f.categories.length === 0) return { ok: false, field: 'categories' }
  return { ok: true, id, body: { name: f.name.trim(), name_en: f.name_en.trim(), area: f.area, categories: [...f.categories] } }
}

export interface CategoryForm extends CategoryInput { code: string }

export const emptyCategoryForm = (): CategoryForm => ({ code: '', name: '', name_en: '', priority: 'normal', handling_level: 'county' })

export const categoryFormOf = (c: Category): CategoryForm => ({
  code: c.code, name: c.name, name_en: c.name_en, priority: c.priority, handling_level: c.handling_level,
})

/**
 * `PUT /admin/categories/{code}`. A new code is 2 digits (a main class) or 4 (a subclass, whose
 * main class must exist) and not taken; a name is needed. `existing` is the catalogue's codes
 * (empty when editing, where the code is fixed).
 */
export function categoryBody(f: CategoryForm, existing: readonly string[] | null = null): Built<CategoryInput> & { code?: string } {
  const code = f.code.trim()
  if (!/^(\d{2}|\d{4})$/.test(code)) return { ok: false, field: 'code' }
  if (existing) {
    if (existing.includes(code)) return { ok: false, field: 'code' }
    if (code.length === 4 && !existing.includes(code.slice(0, 2))) return { ok: false, field: 'code' }
  }
  if (!f.name.trim()) return { ok: false, field: 'name' }
  if (!f.priority) return { ok: false, field: 'priority' }
  if (!f.handling_level) return { ok: false, field: 'handling_level' }
  return { ok: true, code, body: { name: f.name.trim(), name_en: f.name_en.trim(), priority: f.priority, handling_level: f.handling_level } }
}

/** Why a new code is refused, as a message key under `admin.cat.bad`. */
export function codeProblem(code: string, existing: readonly string[]): 'format' | 'taken' | 'noMain' | null {
  const c = code.trim()
  if (!/^(\d{2}|\d{4})$/.test(c)) return 'format'
  if (existing.includes(c)) return 'taken'
  if (c.length === 4 && !existing.includes(c.slice(0, 2))) return 'noMain'
  return null
}

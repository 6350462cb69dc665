// The admin screens: the account and department forms, and the bodies they send.
import type { Category, CategoryInput, DepartmentInput, NewUser, Role, User, UserUpdate } from '../api'

export const ROLES: Role[] = [
  'resident', 'grid_worker', 'community_admin', 'town_dispatcher', 'district_dispatcher',
  'department_handler', 'mediator', 'leader', 'admin',
]

/** Only department handlers have a department (the API refuses one for others and requires it for them). */
export const needsDepartment = (r: Role | '') => r === 'department_handler'

export interface UserForm {
  username: string
  display_name: string
  role: Role | ''
  scope: string
  department: string
  password: string
}

export const emptyUserForm = (scope = ''): UserForm => ({ username: '', display_name: '', role: '', scope, department: '', password: '' })

export const userFormOf = (u: User): UserForm => ({
  username: u.username,
  display_name: u.display_name,
  role: u.role,
  scope: u.scope,
  department: u.department ?? '',
  password: '',
})

/** A body, or the first field that is missing (its name as the API spells it). */
export type Built<T> = { ok: true; body: T } | { ok: false; field: string }

/** `POST /admin/users`: every field but the display name and the department is needed. */
export function newUserBody(f: UserForm): Built<NewUser> {
  const username = f.username.trim()
  if (!username) return { ok: false, field: 'username' }
  if (!f.role) return { ok: false, field: 'role' }
  if (!f.scope) return { ok: false, field: 'scope' }
  if (needsDepartment(f.role) && !f.department) return { ok: false, field: 'department' }
  if (!f.password) return { ok: false, field: 'password' }
  const body: NewUser = { username, role: f.role, scope: f.scope, password: f.password }
  if (f.display_name.trim()) body.display_name = f.display_name.trim()
  if (needsDepartment(f.role)) body.department = f.department
  return { ok: true, body }
}

/**
 * `PATCH /admin/users/{id}`: only what changed. A role that has no department sends
 * `department: null` when the account had one; a blank password keeps the old one.
 */
export function userUpdateBody(orig: User, f: UserForm): Built<UserUpdate> {
  const body: UserUpdate = {}
  const name = f.display_name.trim()
  if (name && name !== orig.display_name) body.display_name = name
  if (!f.role) return { ok: false, field: 'role' }
  if (f.role !== orig.role) body.role = f.role
  if (!f.scope) return { ok: false, field: 'scope' }
  if (f.scope !== orig.scope) body.scope = f.scope
  if (needsDepartment(f.role)) {
    if (!f.department) return { ok: false, field: 'department' }
    if (f.department !== orig.department) body.department = f.department
  } else if (orig.department !== null) {
    body.department = null
  }
  if (f.password) body.password = f.password
  return { ok: true, body }
}

/** The form field an API error belongs to: `categories[2]` → `categories`; a duplicate is the name's. */
export function errorField(e: { code?: string; field?: string | null }, duplicateField = 'username'): string | null {
  if (e.field) return e.field.replace(/\[\d+\]$/, '')
  if (e.code === 'duplicate') return duplicateField
  return null
}

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

/** Accounts matching a role and a text (username or display name, any case). */
export function filterUsers(users: readonly User[], role: Role | '', text: string): User[] {
  const q = text.trim().toLowerCase()
  return users.filter(
    (u) => (!role || u.role === role) && (!q || u.username.toLowerCase().includes(q) || u.display_name.toLowerCase().includes(q)),
  )
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

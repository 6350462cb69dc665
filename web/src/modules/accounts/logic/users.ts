// The accounts tab's form and the bodies it sends.
import type { Role, User } from '@/core/api'
import type { Built } from '@/core/logic/forms'
import type { NewUser, UserUpdate } from '../api'

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

/** Accounts matching a role and a text (username or display name, any case). */
export function filterUsers(users: readonly User[], role: Role | '', text: string): User[] {
  const q = text.trim().toLowerCase()
  return users.filter(
    (u) => (!role || u.role === role) && (!q || u.username.toLowerCase().includes(q) || u.display_name.toLowerCase().includes(q)),
  )
}

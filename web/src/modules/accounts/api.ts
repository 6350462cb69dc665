// Accounts' API: the admin's account list and its changes. Signing in and out is core's
// (core/api.ts), as every screen needs the session.
import type { Role, User } from '@/core/api'
import { request } from '@/core/http'

export interface NewUser {
  username: string
  display_name?: string
  role: Role
  scope: string
  department?: string
  password: string
}
/** `PATCH /admin/users/{id}`: absent fields stay; `department: null` removes it. */
export interface UserUpdate {
  display_name?: string
  role?: Role
  scope?: string
  department?: string | null
  password?: string
}

export const accountsApi = {
  adminUsers: () => request<User[]>('GET', '/admin/users'),
  createUser: (u: NewUser) => request<User>('POST', '/admin/users', u),
  updateUser: (id: string, u: UserUpdate) => request<User>('PATCH', `/admin/users/${encodeURIComponent(id)}`, u),
}

// Who is signed in. The session itself is the HttpOnly cookie; this only mirrors /me.
import { ref } from 'vue'
import { api, ApiError, type Role, type User } from './api'

export const user = ref<User | null>(null)
let loaded: Promise<User | null> | null = null

/** Loads the current user once (null when signed out). */
export function loadUser(force = false): Promise<User | null> {
  if (!loaded || force) {
    loaded = api.me().then(
      (u) => (user.value = u),
      (e) => {
        if (e instanceof ApiError && e.status === 401) return (user.value = null)
        loaded = null
        throw e
      },
    )
  }
  return loaded
}

export async function login(username: string, password: string): Promise<User> {
  const s = await api.login(username, password)
  user.value = s.user
  loaded = Promise.resolve(s.user)
  return s.user
}

export async function logout() {
  try {
    await api.logout()
  } finally {
    user.value = null
    loaded = Promise.resolve(null)
  }
}

/** The first screen of a role. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'grid_worker':
      return '/worker'
    case 'resident':
      return '/resident'
    case 'leader':
      return '/screen'
    case 'admin':
      return '/admin'
    default:
      return '/workbench'
  }
}

/** Who sees 考核评价 in the navigation (the API decides what each may read). */
export const EVALUATORS: Role[] = ['leader', 'town_dispatcher', 'district_dispatcher', 'admin']

export const isStaff = (r: Role | undefined) => !!r && r !== 'resident'

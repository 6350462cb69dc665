// Who is signed in. The session itself is the HttpOnly cookie; this only mirrors /me.
// What the person may open is core/access.ts's.
import { ref } from 'vue'
import { coreApi, type User } from './api'
import { ApiError } from './http'

export const user = ref<User | null>(null)
let loaded: Promise<User | null> | null = null

/** Loads the current user once (null when signed out). */
export function loadUser(force = false): Promise<User | null> {
  if (!loaded || force) {
    loaded = coreApi.me().then(
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
  const s = await coreApi.login(username, password)
  user.value = s.user
  loaded = Promise.resolve(s.user)
  return s.user
}

export async function logout() {
  try {
    await coreApi.logout()
  } finally {
    user.value = null
    loaded = Promise.resolve(null)
  }
}

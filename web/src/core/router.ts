// Screens and who may open them. The routes are core's few plus every registered module's
// routes.ts; who may open a screen is core/access.ts's table. History mode: the server answers
// index.html for every path outside /api (crates/webui).
import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteLocationRaw, type RouteRecordRaw, type Router, type RouterHistory } from 'vue-router'
import { MODULES } from '@/modules'
import { homeOf, mayOpen } from './access'
import type { User } from './api'
import { loadUser, user } from './session'

const CORE_ROUTES: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: { render: () => null }, meta: { layout: 'bare' } },
  { path: '/admin', name: 'admin', component: () => import('./views/AdminView.vue'), meta: { layout: 'staff', screen: 'admin' } },
]
/** Anything else goes home (last, after every module's routes). */
const FALLBACK: RouteRecordRaw = { path: '/:rest(.*)*', redirect: '/' }

export const routes: RouteRecordRaw[] = [...CORE_ROUTES, ...MODULES.flatMap((m) => m.routes ?? []), FALLBACK]

/** True if the route needs someone signed in. */
export const needsSignIn = (to: Pick<RouteLocationNormalized, 'meta'>) => (!!to.meta.screen || !!to.meta.signedIn) && !to.meta.public

/**
 * Where a navigation to `to` goes for `u` (null: signed out): on (true), to the login (and back
 * here after it), or to the person's home when the role may not open the screen.
 */
export function decide(to: Pick<RouteLocationNormalized, 'name' | 'meta' | 'fullPath'>, u: User | null): true | RouteLocationRaw {
  if (to.name === 'home') return u ? homeOf(u.role) : '/login'
  if (!needsSignIn(to)) return true
  if (!u) return { path: '/login', query: { next: to.fullPath } }
  if (to.meta.screen && !mayOpen(u.role, to.meta.screen)) return homeOf(u.role)
  return true
}

/** The app's router over `history` (the browser's; a memory history in tests). */
export function makeRouter(history: RouterHistory = createWebHistory(), rs: RouteRecordRaw[] = routes): Router {
  const r = createRouter({ history, routes: rs })
  r.beforeEach(async (to) => {
    let u = user.value
    if (!u && !to.meta.public) {
      try {
        u = await loadUser()
      } catch {
        u = null
      }
    }
    return decide(to, u)
  })
  return r
}

export const router = makeRouter()

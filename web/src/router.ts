// Screens and who may open them. History mode: the server answers index.html for every
// path outside /api (crates/webui).
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { homeOf, isStaff, loadUser, user } from './session'

declare module 'vue-router' {
  interface RouteMeta {
    layout?: 'staff' | 'phone' | 'bare'
    staff?: boolean
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: { render: () => null }, meta: { layout: 'bare' } },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { layout: 'bare' } },
  { path: '/workbench', name: 'workbench', component: () => import('./views/WorkbenchView.vue'), meta: { layout: 'staff', staff: true } },
  { path: '/map', name: 'map', component: () => import('./views/MapView.vue'), meta: { layout: 'staff', staff: true } },
  { path: '/screen', name: 'screen', component: () => import('./views/ScreenView.vue'), meta: { layout: 'bare', staff: true } },
  { path: '/evaluation', name: 'evaluation', component: () => import('./views/EvaluationView.vue'), meta: { layout: 'staff', staff: true } },
  { path: '/admin', name: 'admin', component: () => import('./views/AdminView.vue'), meta: { layout: 'staff', staff: true } },
  { path: '/worker', name: 'worker', component: () => import('./views/WorkerView.vue'), meta: { layout: 'phone', staff: true } },
  { path: '/resident', name: 'resident', component: () => import('./views/ResidentView.vue'), meta: { layout: 'phone' } },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  let u = user.value
  if (!u && to.name !== 'login' && to.name !== 'resident') {
    try {
      u = await loadUser()
    } catch {
      u = null
    }
  }
  if (to.name === 'home') return u ? homeOf(u.role) : '/login'
  if (to.meta.staff && !isStaff(u?.role)) return { path: '/login', query: { next: to.fullPath } }
  return true
})

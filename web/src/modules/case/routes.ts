import type { RouteRecordRaw } from 'vue-router'
import { allCategories } from '@/core/refcache'

/** The resident's page: its categories are asked for while its code downloads, not after. */
function residentView() {
  allCategories().catch(() => {})
  return import('./views/ResidentView.vue')
}

export const routes: RouteRecordRaw[] = [
  { path: '/workbench', name: 'workbench', component: () => import('./views/WorkbenchView.vue'), meta: { layout: 'staff', screen: 'workbench' } },
  { path: '/worker', name: 'worker', component: () => import('./views/WorkerView.vue'), meta: { layout: 'phone', screen: 'worker' } },
  { path: '/resident', name: 'resident', component: residentView, meta: { layout: 'phone', screen: 'resident', public: true } },
]

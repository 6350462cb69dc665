import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/workbench', name: 'workbench', component: () => import('./views/WorkbenchView.vue'), meta: { layout: 'staff', screen: 'workbench' } },
  { path: '/worker', name: 'worker', component: () => import('./views/WorkerView.vue'), meta: { layout: 'phone', screen: 'worker' } },
  { path: '/resident', name: 'resident', component: () => import('./views/ResidentView.vue'), meta: { layout: 'phone', screen: 'resident', public: true } },
]

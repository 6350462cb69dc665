import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/evaluation', name: 'evaluation', component: () => import('./views/EvaluationView.vue'), meta: { layout: 'staff', screen: 'evaluation' } },
]

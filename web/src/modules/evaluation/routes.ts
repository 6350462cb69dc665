import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/evaluation', name: 'evaluation', component: () => import('./views/EvaluationView.vue'), meta: { layout: 'staff', screen: 'evaluation' } },
  // 考核办法, printable: for anyone signed in (the API answers every role), so not a screen of the menu.
  { path: '/evaluation/method', name: 'evaluation-method', component: () => import('./views/MethodView.vue'), meta: { layout: 'staff', signedIn: true } },
]

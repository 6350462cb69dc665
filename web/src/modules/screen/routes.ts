import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/screen', name: 'screen', component: () => import('./views/ScreenView.vue'), meta: { layout: 'bare', screen: 'screen' } },
]

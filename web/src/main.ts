import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import 'element-plus/theme-chalk/dark/css-vars.css'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { setUnauthenticatedHandler } from './api'
import { user } from './session'
import './style.css'

setUnauthenticatedHandler(() => {
  const r = router.currentRoute.value
  user.value = null
  if (r.meta.staff) router.push({ path: '/login', query: { next: r.fullPath } })
})

document.documentElement.lang = i18n.global.locale.value
createApp(App).use(i18n).use(router).use(ElementPlus).mount('#app')

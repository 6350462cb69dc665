import { createApp } from 'vue'
// Element Plus's components come with the screens that use them (vite.config.ts); these are the
// styles of what scripts call (ElMessage) and of the dark theme's variables.
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/theme-chalk/dark/css-vars.css'
import App from './core/App.vue'
import { i18n } from './core/i18n'
import { needsSignIn, router } from './core/router'
import { setUnauthenticatedHandler } from './core/http'
import { user } from './core/session'
import './style.css'

// A session that ran out mid-use: back to the login, and then to where the person was.
setUnauthenticatedHandler(() => {
  const r = router.currentRoute.value
  user.value = null
  if (needsSignIn(r)) router.push({ path: '/login', query: { next: r.fullPath } })
})

document.documentElement.lang = i18n.global.locale.value
createApp(App).use(i18n).use(router).mount('#app')

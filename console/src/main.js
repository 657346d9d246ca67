import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router.js'
import { onProblem } from './api/client.js'
import { forgetSession, PROBLEM } from './api/session.js'
import { lang } from './i18n/index.js'
import './styles.css'

document.documentElement.lang = lang.value === 'zh' ? 'zh-CN' : 'en'

// A session that ended (401) sends the person to sign in; a forced password change to its page.
onProblem((problem) => {
  const here = router.currentRoute.value
  if (problem.status === 401 && here.name !== 'signin') {
    forgetSession()
    router.push({ name: 'signin', query: { next: here.fullPath, expired: '1' } })
  } else if (problem.type === PROBLEM.passwordChange && here.name !== 'password') {
    router.push({ name: 'password' })
  }
})

createApp(App).use(router).mount('#app')

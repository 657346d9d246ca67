// Hash routes (civhost serves files only, no SPA fallback); every page a lazy chunk.
import { createRouter, createWebHashHistory } from 'vue-router'
import { session, loadSession, defaultCounty, countyOf, rememberCounty } from './api/session.js'

const AppShell = () => import('./layout/AppShell.vue')

const routes = [
  { path: '/signin', name: 'signin', component: () => import('./pages/SignInPage.vue'), meta: { public: true } },
  { path: '/password', name: 'password', component: () => import('./pages/ChangePasswordPage.vue'), meta: { bare: true } },
  {
    path: '/c/:county',
    component: AppShell,
    children: [
      { path: '', redirect: (to) => `/c/${to.params.county}/home` },
      { path: 'home', name: 'home', component: () => import('./pages/HomePage.vue') },
      { path: 'dashboard', name: 'dashboard', component: () => import('./pages/DashboardPage.vue') },
      { path: 'account/password', name: 'account-password', component: () => import('./pages/ChangePasswordPage.vue') },
      { path: 'm/:module/list/:op', name: 'list', component: () => import('./pages/ListPage.vue') },
      { path: 'm/:module/record/:op', name: 'record', component: () => import('./pages/RecordPage.vue') },
      { path: 'm/:module/op/:op', name: 'operation', component: () => import('./pages/OperationPage.vue') },
    ],
  },
  { path: '/:rest(.*)*', name: 'fallback', component: () => import('./pages/NotFoundPage.vue'), meta: { public: true } },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

let first = null
router.beforeEach(async (to) => {
  if (!session.loaded) {
    first = first || loadSession().catch(() => null)
    await first
  }
  const user = session.user
  if (to.path === '/' || to.name === 'fallback') {
    if (!user) return { name: 'signin' }
    if (to.path === '/') return `/c/${defaultCounty()}/home`
  }
  if (to.meta.public) {
    if (to.name === 'signin' && user) return `/c/${defaultCounty()}/home`
    return true
  }
  if (!user) return { name: 'signin', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (user.must_change_password && to.name !== 'password') return { name: 'password' }
  if (to.params.county) {
    if (!countyOf(to.params.county)) return `/c/${defaultCounty()}/home`
    rememberCounty(to.params.county)
  }
  return true
})

// The signed-in person: who, which role, which counties and modules, the CSRF token. Backed by
// the host's session API (POST/GET/DELETE /api/v1/session, PUT /api/v1/session/password).
import { reactive, computed } from 'vue'
import { api, setCsrfToken, ApiProblem } from './client.js'

export const PROBLEM = {
  signInFailed: 'urn:civ:problem:sign-in-failed',
  locked: 'urn:civ:problem:account-locked',
  passwordChange: 'urn:civ:problem:password-change-required',
  csrf: 'urn:civ:problem:csrf-refused',
  validation: 'urn:civ:problem:validation-error',
}

// What each role may do (x-civ-permission of an operation).
const GRANTS = {
  clerk: ['read', 'edit'],
  reviewer: ['read', 'review'],
  approver: ['read', 'approve'],
  auditor: ['read', 'audit'],
  admin: ['read', 'audit', 'administer'],
}

export const session = reactive({
  loaded: false, // the first GET /api/v1/session has answered
  user: null,    // the session body, or null when signed out
})

export const signedIn = computed(() => !!session.user)
export const mustChangePassword = computed(() => !!session.user?.must_change_password)

function adopt(body) {
  session.user = body
  session.loaded = true
  setCsrfToken(body?.csrf_token)
  return body
}

export async function loadSession() {
  try {
    return adopt(await api.get('/api/v1/session', { quiet: true }))
  } catch (e) {
    if (e instanceof ApiProblem && (e.status === 401 || e.status === 404)) { adopt(null); return null }
    if (e instanceof ApiProblem && e.type === PROBLEM.passwordChange) { adopt(null); return null }
    session.loaded = true
    throw e
  }
}

export async function signIn(user, password) {
  return adopt(await api.post('/api/v1/session', { user, password }, { quiet: true }))
}

export async function signOut() {
  try { await api.delete('/api/v1/session', { quiet: true }) } catch { /* gone already */ }
  adopt(null)
}

export async function changePassword(current_password, new_password) {
  await api.put('/api/v1/session/password', { current_password, new_password }, { quiet: true })
  // The session now answers without must_change_password (and maybe a new CSRF token).
  try { await loadSession() } catch { /* keep the old state */ }
}

export function forgetSession() { adopt(null) }

export function can(permission) {
  if (!permission) return true
  const role = session.user?.role
  return (GRANTS[role] || []).includes(permission)
}

export function countyOf(code) {
  return (session.user?.counties || []).find((c) => c.code === code) || null
}

export function defaultCounty() {
  const list = session.user?.counties || []
  let saved = null
  try { saved = localStorage.getItem('civ.county') } catch { /* ignore */ }
  if (saved && list.some((c) => c.code === saved)) return saved
  return list[0]?.code || null
}

export function rememberCounty(code) {
  try { localStorage.setItem('civ.county', code) } catch { /* ignore */ }
}

// The modules the signed-in person may use in a county: the county's enabled modules, narrowed
// by the person's own module scope when they have one.
export function modulesIn(code) {
  const county = countyOf(code)
  let list = county?.modules || []
  const scope = session.user?.modules || []
  if (scope.length) list = list.filter((m) => scope.includes(m))
  return list
}

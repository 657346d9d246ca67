// The one way the console talks to civhost: same-origin cookies, the CSRF token on every write,
// and application/problem+json turned into a thrown ApiProblem with its field errors.

export class ApiProblem extends Error {
  constructor(status, body = {}) {
    super(body.detail || body.title || `HTTP ${status}`)
    this.name = 'ApiProblem'
    this.status = status
    this.type = body.type || ''
    this.title = body.title || ''
    this.detail = body.detail || ''
    this.errors = Array.isArray(body.errors) ? body.errors : []
    this.body = body
  }
  // Field errors as { 'members[0].citizen_id': 'message' }.
  get fieldErrors() {
    const out = {}
    for (const e of this.errors) {
      if (!e || !e.field) continue
      out[e.field] = out[e.field] ? `${out[e.field]}；${e.message || e.rule}` : (e.message || e.rule || '')
    }
    return out
  }
}

let csrfToken = ''
const listeners = new Set()

export function setCsrfToken(token) { csrfToken = token || '' }

// Called with every ApiProblem (401 sign-in needed, 403 password change required...).
export function onProblem(fn) { listeners.add(fn); return () => listeners.delete(fn) }

// Fills {name} placeholders of an OpenAPI path; values are URI-encoded.
export function fillPath(path, params = {}) {
  return path.replace(/\{(\w+)\}/g, (m, name) => {
    const v = params[name]
    if (v === undefined || v === null || v === '') throw new Error(`missing path parameter ${name}`)
    return encodeURIComponent(String(v))
  })
}

export function withQuery(url, query) {
  if (!query) return url
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, String(x)))
    else qs.append(k, String(v))
  }
  const s = qs.toString()
  return s ? `${url}${url.includes('?') ? '&' : '?'}${s}` : url
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export async function request(method, url, { query, body, quiet = false, signal } = {}) {
  method = method.toUpperCase()
  const headers = { Accept: 'application/json, application/problem+json' }
  if (WRITE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let payload
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  let response
  try {
    response = await fetch(withQuery(url, query), {
      method, headers, body: payload, credentials: 'same-origin', signal,
    })
  } catch (e) {
    if (e.name === 'AbortError') throw e
    const problem = new ApiProblem(0, { type: 'urn:civ:console:network', title: 'network', detail: '' })
    problem.network = true
    throw problem
  }
  if (response.status === 204) return null
  const type = response.headers.get('Content-Type') || ''
  let data = null
  if (type.includes('json')) {
    try { data = await response.json() } catch { data = null }
  } else {
    data = await response.text()
  }
  if (!response.ok) {
    const problem = new ApiProblem(response.status,
      data && typeof data === 'object' ? data : { title: response.statusText, detail: typeof data === 'string' ? data.slice(0, 300) : '' })
    if (!quiet) for (const fn of listeners) fn(problem)
    throw problem
  }
  return data
}

export const api = {
  get: (url, opts) => request('GET', url, opts),
  post: (url, body, opts = {}) => request('POST', url, { ...opts, body }),
  put: (url, body, opts = {}) => request('PUT', url, { ...opts, body }),
  patch: (url, body, opts = {}) => request('PATCH', url, { ...opts, body }),
  delete: (url, opts) => request('DELETE', url, opts),
}

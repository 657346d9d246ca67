// Development only (never part of the build): when CIV_DEV_TOKEN holds an API token, answer the
// session API from it and add `Authorization: Bearer` to every /api request the dev server
// forwards, so the console can be worked on against a civhost that has no sign-in yet.
export function tokenSession(token, target) {
  if (!token) return { name: 'civ-token-session' }
  let profile = null
  const attach = (server) => {
    server.middlewares.use(async (req, res, next) => {
      if (!req.url.startsWith('/api/')) return next()
      if (req.url.split('?')[0] === '/api/v1/session') {
        if (req.method === 'DELETE') { res.statusCode = 204; return res.end() }
        if (!profile) profile = await describe(token, target)
        res.statusCode = req.method === 'POST' ? 201 : 200
        res.setHeader('Content-Type', 'application/json')
        return res.end(JSON.stringify(profile))
      }
      req.headers.authorization = `Bearer ${token}`
      next()
    })
  }
  return { name: 'civ-token-session', configureServer: attach, configurePreviewServer: attach }
}

async function describe(token, target) {
  const role = process.env.CIV_DEV_ROLE || 'clerk'
  const codes = (process.env.CIV_DEV_COUNTIES || '610902,350502').split(',')
  const counties = []
  for (const code of codes) {
    let modules = []
    try {
      const r = await fetch(`${target}/api/v1/counties/${code}/parameters`, {
        headers: { authorization: `Bearer ${token}` } })
      const body = await r.json()
      modules = [...new Set((body.items || body.parameters || []).map((p) => p.module).filter(Boolean))]
    } catch { /* leave empty: the console then shows every module in the document */ }
    counties.push({ code, name: { zh: code, en: code }, modules })
  }
  return { user: process.env.CIV_DEV_USER || 'dev', full_name: '开发', role, counties, townships: [],
    modules: [], csrf_token: 'dev', must_change_password: false, idle_timeout_seconds: 1800,
    expires_at: new Date(Date.now() + 8 * 3600e3).toISOString() }
}

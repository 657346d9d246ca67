// Loads the API document. With a host that answers /api/openapi.json?module=<id> with only that
// module, each module's part is fetched when first needed; an older host answers the whole
// document, which then serves every module at once.
import { reactive } from 'vue'
import { api } from '../api/client.js'
import { buildCatalog } from './catalog.js'

export const catalog = reactive({ modules: {}, ops: {}, names: {}, complete: false, version: 0 })
const pending = new Map()
const loaded = new Set()

function absorb(doc, whole) {
  buildCatalog(doc, catalog)
  if (whole) catalog.complete = true
  catalog.version++
}

async function fetchDocument(module) {
  const doc = await api.get('/api/openapi.json', { query: module ? { module } : undefined })
  // A per-module answer has only that module's tags (and the host's); a whole one has more.
  const tags = new Set()
  for (const item of Object.values(doc.paths || {})) {
    for (const op of Object.values(item)) for (const t of (op && op.tags) || []) tags.add(t)
  }
  const whole = !module || [...tags].filter((t) => t !== module && t !== 'civ' && t !== 'admin').length > 0
  absorb(doc, whole)
}

export function loadModule(module) {
  if (catalog.complete || (module && loaded.has(module))) return Promise.resolve(catalog)
  const key = module || '*'
  if (!pending.has(key)) {
    pending.set(key, fetchDocument(module).then(() => { loaded.add(key) })
      .finally(() => pending.delete(key)))
  }
  return pending.get(key).then(() => catalog)
}

// Every module the person may use in a county, and the host's own routes, loaded in parallel.
export async function loadModules(modules) {
  if (!modules || !modules.length) return loadModule(null)
  const [first, ...rest] = [...modules, 'civ', 'admin']
  await loadModule(first) // an older host answers the whole document: then nothing more to fetch
  if (!catalog.complete) await Promise.allSettled(rest.map((m) => loadModule(m)))
  return catalog
}

export function opById(id) { return catalog.ops[id] || null }

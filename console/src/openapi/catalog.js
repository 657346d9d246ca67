// Turns the host's OpenAPI document into what the console shows: per module its lists, record
// pages, actions, documents and views, with nothing specific to any module. Pure functions: no
// Vue, no fetch (see document.js for loading).

const COUNTY_PREFIX = '/api/v1/counties/{county}/'
const ADMIN_PREFIX = '/api/v1/admin/'
const METHODS = ['get', 'post', 'put', 'patch', 'delete']
export const HOST_GROUP = 'admin' // the menu group of the host's own routes (tags admin and civ)

// JSON the console renders; other JSON dialects (GeoJSON...) are files to download.
function isJson(type) { return /^application\/json\b/.test(type) }

function successResponse(op) {
  const responses = op.responses || {}
  for (const code of ['200', '201', '202']) {
    const r = responses[code]
    if (!r) continue
    const types = Object.keys(r.content || {})
    const json = types.find(isJson)
    return { code, types, json, schema: json ? r.content[json].schema : null }
  }
  return { code: '204', types: [], json: null, schema: null }
}

export function isListSchema(schema) {
  const p = schema && schema.type === 'object' && schema.properties
  return !!(p && p.items && p.items.type === 'array' && 'total' in p && 'next' in p && 'limit' in p)
}

function pathParamsOf(path) {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((n) => n !== 'county')
}

function segments(path) { return path.split('/').filter(Boolean) }

export function normalizeOperation(path, method, raw, doc) {
  const resolve = (s) => deref(s, doc)
  const success = successResponse(raw)
  const params = (raw.parameters || []).map(resolve)
  const body = raw.requestBody && resolve(raw.requestBody)
  const bodyType = body ? Object.keys(body.content || {}).find(isJson) : null
  const tag = (raw.tags || [])[0] || 'civ'
  const op = {
    id: raw.operationId || `${method}_${path}`,
    method: method.toUpperCase(),
    path,
    module: tag,
    group: tag === 'civ' || tag === 'admin' ? HOST_GROUP : tag,
    summary: raw['x-civ-summary'] || (raw.summary ? { zh: raw.summary, en: raw.summary } : { zh: path, en: path }),
    permission: raw['x-civ-permission'] || null,
    console: raw['x-civ-console'] || {},
    pathParams: pathParamsOf(path),
    hasCounty: path.includes('{county}'),
    query: params.filter((p) => p.in === 'query').map((p) => ({ ...p, schema: resolve(p.schema || {}) })),
    pathSchemas: Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, resolve(p.schema || {})])),
    body: bodyType ? resolve(body.content[bodyType].schema) : null,
    bodyRequired: !!(body && body.required),
    response: success.schema ? resolve(success.schema) : null,
    responseTypes: success.types,
    kind: null,
  }
  if (op.method === 'GET') {
    if (!success.json && success.types.length) op.kind = 'document'
    else if (isListSchema(op.response)) op.kind = 'list'
    else if (/^\{\w+\}$/.test(segments(path).at(-1) || '') && op.pathParams.length) op.kind = 'record'
    else op.kind = 'view'
  } else {
    op.kind = 'action'
  }
  op.printable = op.kind === 'document' && op.responseTypes.some((t) => t.startsWith('text/html'))
  op.listParams = op.kind === 'list' ? op.query.filter((p) => ['limit', 'sort', 'cursor'].includes(p.name)) : []
  op.filters = op.kind === 'list' ? op.query.filter((p) => !['limit', 'sort', 'cursor'].includes(p.name)) : op.query
  return op
}

// Local $refs (#/components/...) resolved one level at a time, recursively on use.
export function deref(node, doc) {
  let n = node
  let guard = 0
  while (n && n.$ref && guard++ < 20) {
    const parts = n.$ref.replace(/^#\//, '').split('/')
    n = parts.reduce((o, k) => (o ? o[k.replace(/~1/g, '/').replace(/~0/g, '~')] : o), doc)
  }
  if (n && typeof n === 'object' && !Array.isArray(n)) {
    const out = { ...n }
    if (out.properties) {
      // In the order the module declared (x-civ-order): JSON objects keep none, and the API
      // document's keys arrive sorted.
      const order = Array.isArray(out['x-civ-order']) ? out['x-civ-order'] : []
      const rank = (k) => { const i = order.indexOf(k); return i < 0 ? order.length : i }
      const keys = Object.keys(out.properties).sort((a, b) => rank(a) - rank(b))
      out.properties = Object.fromEntries(keys.map((k) => [k, deref(out.properties[k], doc)]))
    }
    if (out.items) out.items = deref(out.items, doc)
    if (Array.isArray(out.allOf)) {
      const merged = out.allOf.map((s) => deref(s, doc))
      delete out.allOf
      for (const s of merged) {
        out.properties = { ...(out.properties || {}), ...(s.properties || {}) }
        out.required = [...(out.required || []), ...(s.required || [])]
        if (s.type && !out.type) out.type = s.type
      }
    }
    return out
  }
  return n
}

function isUnder(path, prefix) { return path === prefix || path.startsWith(prefix + '/') }

function emptyModule(id, name) {
  return { id, name, lists: [], records: [], views: [], documents: [], actions: [], all: [] }
}

// The catalog: { modules: {id: module}, ops: {operationId: op}, names }
export function buildCatalog(doc, previous) {
  const catalog = previous || { modules: {}, ops: {}, names: {} }
  for (const tag of doc.tags || []) {
    if (tag && tag.name && tag['x-civ-name']) catalog.names[tag.name] = tag['x-civ-name']
  }
  const fresh = []
  for (const [path, item] of Object.entries(doc.paths || {})) {
    if (!path.startsWith(COUNTY_PREFIX) && !path.startsWith(ADMIN_PREFIX)) continue
    if (path === '/api/v1/session' || path.startsWith('/api/v1/session/')) continue
    for (const method of METHODS) {
      if (!item[method]) continue
      const op = normalizeOperation(path, method, { ...item[method], parameters: [...(item.parameters || []), ...(item[method].parameters || [])] }, doc)
      if (catalog.ops[op.id]) continue
      catalog.ops[op.id] = op
      fresh.push(op)
    }
  }
  const touched = new Set(fresh.map((op) => op.group))
  for (const group of touched) {
    const ops = Object.values(catalog.ops).filter((op) => op.group === group)
    catalog.modules[group] = relate(group, ops, catalog.names[group] || null)
  }
  return catalog
}

// Links the operations of one module: list ↔ record, actions to their record or list rows,
// sub-lists, views and documents under a record.
function relate(id, ops, name) {
  const mod = emptyModule(id, name)
  mod.all = ops
  for (const op of ops) {
    op.record = null; op.list = null; op.create = null; op.parent = null; op.owner = null
    op.actions = []; op.itemActions = []; op.lists = []; op.views = []; op.documents = []
  }
  const lists = ops.filter((o) => o.kind === 'list')
  const records = ops.filter((o) => o.kind === 'record')
  // Longest path first so the closest record wins.
  const byDepth = (a, b) => b.path.length - a.path.length
  records.sort(byDepth)
  const sortedLists = [...lists].sort(byDepth)

  for (const r of records) {
    const parent = r.path.slice(0, r.path.lastIndexOf('/'))
    const list = lists.find((l) => l.path === parent)
    if (list) { list.record = r; r.list = list }
    r.key = r.pathParams.at(-1)
  }
  const ownerRecord = (op) => records.find((r) => r !== op && isUnder(op.path, r.path)
    && op.pathParams.length === r.pathParams.length)

  for (const op of ops) {
    if (op.kind === 'action') {
      const rec = ownerRecord(op)
      if (rec) { op.owner = rec; rec.actions.push(op); continue }
      const onList = lists.find((l) => l.path === op.path)
      if (onList && op.method === 'POST' && !onList.create) { onList.create = op; op.owner = onList; continue }
      // An action on one row of a list: <list>/{key} or <list>/{key}/...
      const rowList = sortedLists.find((l) => {
        if (!op.path.startsWith(l.path + '/{')) return false
        const rest = segments(op.path.slice(l.path.length))
        return /^\{\w+\}$/.test(rest[0]) && op.pathParams.length === l.pathParams.length + 1
      })
      if (rowList) {
        op.rowKey = segments(op.path.slice(rowList.path.length))[0].slice(1, -1)
        op.owner = rowList
        rowList.itemActions.push(op)
        continue
      }
      mod.actions.push(op)
    } else if (op.kind === 'list' || op.kind === 'view' || op.kind === 'document') {
      const rec = ownerRecord(op)
      if (rec) {
        op.parent = rec
        if (op.kind === 'list') rec.lists.push(op)
        else if (op.kind === 'view') rec.views.push(op)
        else rec.documents.push(op)
        continue
      }
      if (op.kind === 'list') mod.lists.push(op)
      else if (op.kind === 'view') mod.views.push(op)
      else mod.documents.push(op)
    } else if (op.kind === 'record') {
      mod.records.push(op)
      // A record page whose list is missing (or a lookup by key) is reachable from the menu.
      if (!op.list) mod.views.push(op)
    }
  }
  return mod
}

// Is this operation a work queue (home page)? Declared by x-civ-console.queue; until modules
// declare them, lists and views whose last segment says "overdue" or "due" count as queues.
export function isQueue(op, catalog) {
  if (op.console.hidden) return false
  if ('queue' in op.console) return !!op.console.queue
  if (catalog && Object.values(catalog.ops).some((o) => o.console && 'queue' in o.console)) return false
  if (op.pathParams.length || (op.kind !== 'list' && op.kind !== 'view')) return false
  if (op.query.some((p) => p.required)) return false
  const last = segments(op.path).at(-1)
  return last === 'overdue' || last === 'due'
}

export function isOverdue(op) {
  if ('overdue' in op.console) return !!op.console.overdue
  return /(^|\/)overdue($|\/)/.test(op.path)
}

// The value of a record's key in a list row: the property named like the path parameter, else id.
export function rowKey(row, name) {
  if (row == null) return undefined
  if (row[name] !== undefined && row[name] !== null) return row[name]
  return row.id
}

// The count a queue shows: a list's total, or the length of a view's first array.
export function queueCount(op, body) {
  if (!body) return null
  if (op.kind === 'list') return body.total ?? (body.items || []).length
  if (Array.isArray(body)) return body.length
  for (const v of Object.values(body)) if (Array.isArray(v)) return v.length
  return null
}

export function opHidden(op) { return !!op.console.hidden }

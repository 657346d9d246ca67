// OpenAPI parameters as one object schema, so SchemaForm renders filters and lookup keys too.
export function paramsSchema(params) {
  const properties = {}
  const required = []
  for (const p of params || []) {
    const s = { ...(p.schema || {}) }
    if (!s.title && p['x-civ-label']?.zh) s.title = p['x-civ-label'].zh
    if (!s.description && p.description) s.description = p.description
    properties[p.name] = s
    if (p.required) required.push(p.name)
  }
  return { type: 'object', properties, required }
}

// Query values as found in the route (strings) typed by the parameters' schemas.
export function typedQuery(params, routeQuery) {
  const out = {}
  for (const p of params || []) {
    let v = routeQuery[p.name]
    if (v === undefined || v === null || v === '') continue
    const ty = p.schema?.type
    if (ty === 'array') v = Array.isArray(v) ? v : [v]
    else if (Array.isArray(v)) v = v[0]
    if ((ty === 'integer' || ty === 'number') && /^-?\d+(\.\d+)?$/.test(v)) v = Number(v)
    else if (ty === 'boolean') v = v === 'true' ? true : v === 'false' ? false : v
    out[p.name] = v
  }
  return out
}

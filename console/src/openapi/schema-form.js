// Helpers of SchemaForm: a starting value for a schema, and what to send (only filled fields).
import { typeOf } from './schema.js'

export function initialValue(schema, required = true) {
  const ty = typeOf(schema)
  if (ty === 'object') {
    const out = {}
    const req = new Set(schema.required || [])
    for (const [k, s] of Object.entries(schema.properties || {})) {
      const v = initialValue(s, req.has(k))
      if (v !== undefined) out[k] = v
    }
    return out
  }
  if (ty === 'array') {
    if (schema.items && typeOf(schema.items) === 'object') {
      const n = Math.max(required ? (schema.minItems || 0) : 0, 0)
      return Array.from({ length: n }, () => initialValue(schema.items))
    }
    return []
  }
  if (schema.default !== undefined) return schema.default
  if (ty === 'boolean' && required) return false
  return undefined
}

function empty(v) {
  return v === undefined || v === null || v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && v !== null && Object.keys(v).length === 0)
}

// The value to send: unfilled fields left out, recursively; numbers typed as numbers.
export function prune(schema, value) {
  const ty = typeOf(schema)
  if (ty === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const out = {}
    const props = schema.properties || {}
    for (const [k, v] of Object.entries(value)) {
      const p = prune(props[k] || {}, v)
      if (!empty(p)) out[k] = p
    }
    return out
  }
  if (ty === 'array' && Array.isArray(value)) {
    return value.map((v) => prune(schema.items || {}, v)).filter((v) => !empty(v))
  }
  if (typeof value === 'string') {
    const s = value.trim()
    if (s === '') return undefined
    if ((ty === 'integer' || ty === 'number') && /^-?\d+(\.\d+)?$/.test(s)) return Number(s)
    return s
  }
  return value
}

// Does a field path ("members[0].name") carry an error, or does one of its children?
export function errorAt(errors, path) {
  if (!errors) return ''
  return errors[path] || ''
}

// Field errors the form cannot place at a field of the schema (shown above the form).
export function unplaced(errors, schema) {
  const out = []
  for (const [path, message] of Object.entries(errors || {})) {
    if (!placeable(schema, path)) out.push({ path, message })
  }
  return out
}

function placeable(schema, path) {
  let s = schema
  for (const part of path.split('.')) {
    const m = part.match(/^(\w+)((\[\d+\])*)$/)
    if (!m || !s || !s.properties || !s.properties[m[1]]) return false
    s = s.properties[m[1]]
    if (m[2]) {
      const depth = (m[2].match(/\[/g) || []).length
      for (let i = 0; i < depth; i++) s = s && s.items
    }
  }
  return true
}

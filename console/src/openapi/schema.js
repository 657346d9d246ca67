// Reading JSON Schemas of the document for display: labels, enum labels, formats, columns.
import { lang, t, label } from '../i18n/index.js'

// A field's label: title (Chinese) / description or name (English), falling back to the name.
export function fieldLabel(name, schema = {}) {
  if (lang.value === 'zh') return schema.title || schema['x-civ-label']?.zh || humanize(name)
  return schema['x-civ-label']?.en || shortDescription(schema.description) || humanize(name)
}

function shortDescription(text) {
  if (!text) return ''
  const first = text.split(/[.;\n]/)[0].trim()
  return first.length <= 40 ? first : ''
}

export function humanize(name) {
  if (name == null) return ''
  const s = String(name).replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2')
  return s.charAt(0).toUpperCase() + s.slice(1)
}

export function typeOf(schema) {
  if (!schema) return 'string'
  if (Array.isArray(schema.type)) return schema.type.find((x) => x !== 'null') || 'string'
  if (schema.type) return schema.type
  if (schema.properties) return 'object'
  if (schema.items) return 'array'
  if (schema.enum) return 'string'
  return 'string'
}

export function isScalar(schema) {
  const ty = typeOf(schema)
  return ty === 'string' || ty === 'integer' || ty === 'number' || ty === 'boolean'
}

export function isScalarArray(schema) {
  return typeOf(schema) === 'array' && schema.items && isScalar(schema.items)
}

export function isObjectArray(schema) {
  return typeOf(schema) === 'array' && schema.items && typeOf(schema.items) === 'object'
}

export function enumLabel(schema, value) {
  const labels = schema && schema['x-civ-labels']
  if (labels && labels[value]) return label(labels[value], String(value))
  return String(value)
}

export function enumOptions(schema) {
  return (schema.enum || []).filter((v) => v !== null).map((v) => ({ value: v, label: enumLabel(schema, v) }))
}

export function isMoney(schema) { return schema && schema.format === 'money' }
export function isNumeric(schema) {
  const ty = typeOf(schema)
  return ty === 'integer' || ty === 'number' || isMoney(schema)
}

// A value as text for tables and descriptions. Money stays the string the server sent.
export function formatValue(schema = {}, value) {
  if (value === undefined || value === null || value === '') return t('common.none')
  const ty = typeOf(schema)
  if (ty === 'boolean' || typeof value === 'boolean') return value ? t('common.yes') : t('common.no')
  if (schema.enum || schema['x-civ-labels']) return enumLabel(schema, value)
  if (ty === 'array' && Array.isArray(value)) {
    return value.map((v) => formatValue(schema.items || {}, v)).join('、') || t('common.none')
  }
  if (schema.format === 'date-time' && typeof value === 'string') return formatDateTime(value)
  if (typeof value === 'object') {
    if (value && ('zh' in value || 'en' in value)) return label(value)
    return JSON.stringify(value)
  }
  return String(value)
}

export function formatDateTime(text) {
  const d = new Date(text)
  if (Number.isNaN(d.getTime())) return text
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

// Columns of a list table: the item's scalar fields (and arrays of scalars), id first.
export function columnsOf(itemSchema, max = 10) {
  const props = (itemSchema && itemSchema.properties) || {}
  const cols = Object.entries(props)
    .filter(([, s]) => isScalar(s) || isScalarArray(s))
    .map(([name, schema]) => ({ name, schema }))
  return cols.slice(0, max)
}

// The nested parts of a record: arrays of objects and objects.
export function nestedOf(schema) {
  const props = (schema && schema.properties) || {}
  return Object.entries(props).filter(([, s]) => !isScalar(s) && !isScalarArray(s))
    .map(([name, s]) => ({ name, schema: s }))
}

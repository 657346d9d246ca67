// The side menu of a county: for each module the person may use, its lists, views, documents
// and stand-alone actions that the person's role allows; the host's routes under 管理.
import { can } from '../api/session.js'
import { HOST_GROUP } from './catalog.js'

const DEDICATED = [/\/indicators$/, /\/history$/] // shown by the dashboard and record timelines

function visible(op) {
  if (op.console.hidden) return false
  if (!can(op.permission)) return false
  if (op.group === HOST_GROUP && DEDICATED.some((re) => re.test(op.path))) return false
  return true
}

export function menuOf(catalog, modules) {
  const groups = []
  const ids = modules && modules.length ? modules : Object.keys(catalog.modules).filter((m) => m !== HOST_GROUP)
  for (const id of [...ids, HOST_GROUP]) {
    const mod = catalog.modules[id]
    if (!mod) continue
    const items = []
    for (const op of mod.lists) if (visible(op)) items.push({ op, route: 'list' })
    for (const op of mod.views) if (visible(op)) items.push({ op, route: 'operation' })
    for (const op of mod.documents) if (visible(op)) items.push({ op, route: 'operation' })
    for (const op of mod.actions) if (visible(op)) items.push({ op, route: 'operation' })
    if (items.length) groups.push({ id, name: catalog.names[id] || null, items })
  }
  return groups
}

// The operation a generated page shows: its module's part of the document loaded first.
import { computed, ref, watchEffect } from 'vue'
import { useRoute } from 'vue-router'
import { catalog, loadModule } from '../openapi/document.js'

export function useOperation() {
  const route = useRoute()
  const ready = ref(false)
  const error = ref('')
  watchEffect(async () => {
    const module = route.params.module
    if (!module) return
    try { await loadModule(module) } catch (e) { error.value = e.detail || e.message || String(e) }
    ready.value = true
  })
  const op = computed(() => { void catalog.version; return catalog.ops[route.params.op] || null })
  const county = computed(() => route.params.county)
  return { route, op, county, ready, error }
}

// A tiny i18n of the console's own: t('group.key', {vars}) for its words, label({zh, en}) for
// the words the API document carries. Chinese by default; the choice is kept in localStorage.
import { ref, computed } from 'vue'
import zh from './zh.js'
import en from './en.js'

const dictionaries = { zh, en }
const KEY = 'civ.lang'

function initial() {
  try {
    const saved = localStorage.getItem(KEY)
    if (saved && dictionaries[saved]) return saved
  } catch { /* storage may be blocked */ }
  return 'zh'
}

export const lang = ref(initial())
export const isZh = computed(() => lang.value === 'zh')

export function setLang(value) {
  if (!dictionaries[value]) return
  lang.value = value
  try { localStorage.setItem(KEY, value) } catch { /* ignore */ }
  document.documentElement.lang = value === 'zh' ? 'zh-CN' : 'en'
}

function lookup(dict, key) {
  return key.split('.').reduce((node, part) => (node == null ? node : node[part]), dict)
}

export function t(key, vars) {
  let text = lookup(dictionaries[lang.value], key)
  if (text == null) text = lookup(zh, key)
  if (text == null) return key
  if (vars) text = text.replace(/\{(\w+)\}/g, (m, name) => (vars[name] ?? m))
  return text
}

// A localized {zh, en} object from the document, or a plain string.
export function label(value, fallback = '') {
  if (value == null) return fallback
  if (typeof value === 'string') return value
  return value[lang.value] || value.zh || value.en || fallback
}

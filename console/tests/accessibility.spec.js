// axe-core (WCAG 2 A and AA) on the sign-in page and on every page the console generates for
// one module (social assistance): its lists (with their create form open), its record pages
// (with records to show) and its stand-alone views, documents and actions. Zero violations.
import { test, expect } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { buildCatalog, rowKey } from '../src/openapi/catalog.js'
import { signIn, shot, adminApi, approvedCaseThroughApi, citizenId, URL, COUNTY } from './helpers.js'

const MODULE = 'social_assistance'

async function axe(page) {
  // Only violations' details are collected (resultTypes: the passes' cost seconds a page);
  // options() replaces the run options, so it comes before withTags().
  const result = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] })
    .withTags(['wcag2a', 'wcag2aa']).analyze()
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.slice(0, 5)
    .map((n) => `${n.target.join(' ')} — ${(n.failureSummary || '').split('\n').slice(1, 2).join('').trim()}`).join('\n      ')}`)
}

// The page is drawn: its title shown, nothing loading.
async function settled(page) {
  await expect(page.locator('main .page-title, main h1').first()).toBeVisible()
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0)
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0)
}

test('the sign-in page has no WCAG 2 A/AA violations', async ({ page }, testInfo) => {
  await page.goto('/#/signin')
  await expect(page.getByLabel('用户名')).toBeVisible()
  expect(await axe(page)).toEqual([])
  // With an error shown too.
  await page.getByLabel('用户名').fill('nobody')
  await page.getByLabel('密码', { exact: true }).fill('Not-The-Password-1')
  await page.locator('[data-test=signin-submit]').click()
  await expect(page.locator('[data-test=signin-error]')).toBeVisible()
  expect(await axe(page)).toEqual([])
  await shot(page, testInfo, 'signin')
})

test(`every generated page of ${MODULE} has no WCAG 2 A/AA violations`, async ({ page }, testInfo) => {
  test.setTimeout(240_000)
  // Records for the record pages: a household with an approved case and a payment run.
  const made = await approvedCaseThroughApi(citizenId('19500505', 51), '郑玉珍')
  const doc = await (await fetch(`${URL}/api/openapi.json?module=${MODULE}`)).json()
  const mod = buildCatalog(doc).modules[MODULE]
  expect(mod, 'the module is in the document').toBeTruthy()

  // A key for each record page: from what was made, else the first row of its list.
  const known = { households: made.household, applications: made.application, cases: made.case, 'payment-runs': made.month }
  const keyOf = async (record) => {
    const noun = record.path.split('/').at(-2)
    if (known[noun] !== undefined) return { [record.key]: known[noun] }
    if (!record.list || record.list.pathParams.length) return null
    const r = await adminApi('GET', `${record.list.path.replace('{county}', COUNTY)}?limit=1`)
    const row = r.json?.items?.[0]
    return row ? { [record.key]: rowKey(row, record.key) } : null
  }

  const pages = [
    { name: 'home', url: `/#/c/${COUNTY}/home` },
    { name: 'password', url: `/#/c/${COUNTY}/account/password` },
  ]
  // The clerk's create forms (a create needing another role shows no button to a clerk).
  const clerkMay = (op) => !op.permission || ['read', 'edit'].includes(op.permission)
  for (const op of mod.lists) {
    pages.push({ name: op.id, url: `/#/c/${COUNTY}/m/${MODULE}/list/${op.id}`, create: !!op.create && clerkMay(op.create) })
  }
  for (const op of mod.records) {
    if (op.pathParams.length !== 1) continue // nested records are reached from their parent
    const key = await keyOf(op)
    if (!key) { testInfo.annotations.push({ type: 'no record', description: op.id }); continue }
    pages.push({ name: op.id, url: `/#/c/${COUNTY}/m/${MODULE}/record/${op.id}?${new URLSearchParams(key)}`, record: true })
  }
  for (const op of [...mod.views, ...mod.documents, ...mod.actions]) {
    if (op.console.hidden) continue
    pages.push({ name: op.id, url: `/#/c/${COUNTY}/m/${MODULE}/op/${op.id}` })
  }
  expect(pages.length).toBeGreaterThan(15)

  await signIn(page, 'chen') // a clerk: sees the forms
  const found = {}
  for (const p of pages) {
    await page.goto(p.url)
    await settled(page)
    if (p.record) await expect(page.locator('.value-view').first()).toBeVisible()
    if (p.create) {
      await page.locator('[data-test=create]').click()
      await expect(page.locator('.action-dialog')).toBeVisible()
    }
    const violations = await axe(page)
    if (violations.length) {
      found[p.name] = violations
      await shot(page, testInfo, `violation-${p.name}`)
    }
    if (p.create) await page.keyboard.press('Escape')
  }
  // A form the server refused: the field errors and the error message shown.
  await page.goto(`/#/c/${COUNTY}/m/${MODULE}/list/${MODULE}_get_households`)
  await page.locator('[data-test=create]').click()
  const form = page.locator('.action-dialog')
  await form.locator('[data-submit]').click()
  await expect(form.locator('.el-form-item__error').first()).toBeVisible()
  await expect(page.locator('.el-message--error')).toBeVisible()
  const refused = await axe(page)
  if (refused.length) found['households create, refused'] = refused
  await shot(page, testInfo, 'refused-form')
  testInfo.annotations.push({ type: 'pages checked', description: String(pages.length + 1) })
  expect(found, JSON.stringify(found, null, 2)).toEqual({})
})

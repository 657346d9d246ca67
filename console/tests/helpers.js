// Shared by the specs: who the office's people are, signing in (the forced password change at
// the first sign-in included), screenshots, the test clock and API calls with the
// administrator's token. Set by run-browser-tests.sh: CIV_URL, CIV_PASSWORD, CIV_ADMIN_TOKEN,
// CIV_WORK.
import fs from 'node:fs'
import path from 'node:path'
import { expect } from '@playwright/test'

export const URL = process.env.CIV_URL
export const COUNTY = '610902'
export const INITIAL_PASSWORD = process.env.CIV_PASSWORD
const WORK = process.env.CIV_WORK
const TOKEN = process.env.CIV_ADMIN_TOKEN
if (!URL || !INITIAL_PASSWORD || !WORK || !TOKEN) {
  throw new Error('run the browser tests through console/tests/run-browser-tests.sh (CIV_URL, CIV_PASSWORD, CIV_WORK, CIV_ADMIN_TOKEN unset)')
}
export const SA = `/api/v1/counties/${COUNTY}/social_assistance`

// The password a user has after the first sign-in (12+ characters, four classes, without the
// user's name, which the host refuses).
export function passwordOf() { return 'Han-Bin-Office-2026!' }

// Which users have changed their initial password: a file per user in the work directory, so it
// survives a restarted worker.
const marker = (user) => path.join(WORK, `password-changed-${user}`)
export function hasChangedPassword(user) { return fs.existsSync(marker(user)) }
function rememberChanged(user) { fs.writeFileSync(marker(user), 'yes') }
export function currentPassword(user) { return hasChangedPassword(user) ? passwordOf(user) : INITIAL_PASSWORD }

// A screenshot into the test's output directory (kept: the artifacts of the run).
export async function shot(page, testInfo, name) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: false })
}

// Signs in through the sign-in page; at the first sign-in the console forces the password
// change and the new password is set there. Ends on the county's home page.
// Stays on the sign-in page when the console already shows it (e.g. after a session ended);
// ends where the console sends the person: home, or the page they were on before.
// `next`: a page (#/c/...) to go to once signed in (the console's own ?next=).
export async function signIn(page, user, { testInfo, prefix, next } = {}) {
  if (next) await page.goto(`/#/signin?next=${encodeURIComponent(next.slice(next.indexOf('#') + 1))}`)
  else if (!/#\/signin/.test(page.url())) await page.goto('/#/signin')
  await expect(page.getByLabel('用户名')).toBeVisible()
  await page.getByLabel('用户名').fill(user)
  await page.getByLabel('密码', { exact: true }).fill(currentPassword(user))
  if (testInfo && prefix) await shot(page, testInfo, `${prefix}-signin`)
  await page.locator('[data-test=signin-submit]').click()
  if (!hasChangedPassword(user)) {
    await expect(page).toHaveURL(/#\/password$/)
    await expect(page.getByText('首次登录或密码已重置，请先修改密码。')).toBeVisible()
    await page.getByLabel('当前密码').fill(INITIAL_PASSWORD)
    await page.getByLabel('新密码', { exact: true }).fill(passwordOf(user))
    await page.getByLabel('再次输入新密码').fill(passwordOf(user))
    if (testInfo && prefix) await shot(page, testInfo, `${prefix}-password-change`)
    await page.locator('[data-submit]').click()
    await expect(page).toHaveURL(/#\/c\/\d{6}\/home$/)
    rememberChanged(user)
    if (next) await page.goto(next)
  }
  if (next) await expect(page).toHaveURL(next.slice(next.indexOf('#')))
  else await expect(page).toHaveURL(/#\/c\/\d{6}\//)
  await expect(page.locator('[data-test=user-menu]')).toBeVisible()
}

// A fresh browser context signed in as `user` (each person of the office has their own browser).
// With `next`, straight to that page.
export async function asUser(browser, user, opts = {}) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await signIn(page, user, opts)
  return { context, page }
}

// The API with a bearer token (no session, no CSRF): set-up, the clock, the audit trail.
// `who`: admin, clerk, clerk2, reviewer, approver, approver2.
const TOKENS = JSON.parse(process.env.CIV_TOKENS || '{}')
export async function api(who, method, apiPath, body) {
  const token = who === 'admin' ? TOKEN : TOKENS[who]
  if (!token) throw new Error(`no API token for ${who}`)
  const response = await fetch(URL + apiPath, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json',
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await response.text()
  let json = null
  try { json = JSON.parse(text) } catch { /* not JSON */ }
  return { status: response.status, json, text }
}
export const adminApi = (method, apiPath, body) => api('admin', method, apiPath, body)
async function ok(who, method, apiPath, body, status = [200, 201]) {
  const r = await api(who, method, apiPath, body)
  expect(status, `${who} ${method} ${apiPath}: ${r.text}`).toContain(r.status)
  return r.json
}

// The test clock (CIV_TEST_CLOCK=1): today's date as the host sees it, kept in the work directory
// because the host has no route to read it.
const clockFile = () => path.join(WORK, 'clock')
export function hostToday() {
  if (fs.existsSync(clockFile())) return fs.readFileSync(clockFile(), 'utf8').trim()
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) // Asia/Shanghai
}
export async function setHostToday(date) {
  const r = await adminApi('POST', '/api/v1/admin/clock', { today: date })
  expect(r.status, r.text).toBe(200)
  expect(r.json.today).toBe(date)
  fs.writeFileSync(clockFile(), date)
  return date
}
export function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}
// Workflow specs start on the first day of a month of their own (the clock only moves
// forward), so that their cases and payment months never meet.
export async function startOfNextMonth() {
  return setHostToday(`${nextMonth(hostToday())}-01`)
}
export function nextMonth(date) {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + 1)
  return d.toISOString().slice(0, 7)
}

// A valid 18-digit citizen ID (GB 11643 check character) in county 610902.
export function citizenId(birth, sequence) {
  const first17 = `${COUNTY}${birth}${String(sequence).padStart(3, '0')}`
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

// Picks an option of an Element Plus select inside `scope` by its visible label.
export async function choose(page, scope, field, optionLabel) {
  await scope.locator(`[data-field="${field}"] .el-select__wrapper`).click()
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: optionLabel, exact: true }).click()
}

// A household with an approved dibao case and a prepared payment run, through the API, the
// way the clerk's day does it in the browser (for the pages that need records to show).
export async function approvedCaseThroughApi(citizen, name) {
  const start = await startOfNextMonth()
  const household = await ok('clerk', 'POST', `${SA}/households`, {
    category: 'urban', township: '江北街道', village: '东坝社区', hukou_address: '汉滨区东坝路5号',
    residence_address: '汉滨区东坝路5号', bank_name: '汉滨农商银行', bank_account: '6230999900001111',
    members: [{ citizen_id: citizen, name, relationship: 'applicant', lives_together: true,
      inclusion_reason: '单人户', work_capacity: 'none' }],
  })
  await ok('clerk', 'POST', `${SA}/households/${household.id}/income-items`, {
    category: 'transfer', treatment: 'counted', amount: '600.00',
    period_from: `${addDays(start, -181).slice(0, 7)}-01`, period_to: addDays(start, -1), description: '子女赡养费',
  })
  const application = await ok('clerk', 'POST', `${SA}/applications`,
    { household_id: household.id, program: 'dibao', applicant_citizen_id: citizen })
  const at = `${SA}/applications/${application.id}`
  await ok('clerk', 'POST', `${at}/investigation/start`, {})
  await ok('clerk', 'POST', `${at}/investigation/signatures`, {})
  await ok('clerk2', 'POST', `${at}/investigation/signatures`, {})
  await ok('clerk', 'POST', `${at}/investigation/complete`, { data_checks: [{ item: 'deposits', result: 'match' }] })
  await ok('reviewer', 'POST', `${at}/township-review`, { opinion: 'recommend' })
  await ok('clerk', 'POST', `${at}/notice`, { location: '东坝社区公示栏' })
  const decided = await setHostToday(addDays(start, 8))
  const decision = await ok('approver', 'POST', `${at}/decision`, { result: 'approve' })
  const month = nextMonth(decided)
  await ok('approver', 'POST', `${SA}/payment-runs`, { month })
  return { household: household.id, application: application.id, case: decision.case.id, month }
}

export async function householdThroughApi(citizen, name, township) {
  return ok('clerk', 'POST', `${SA}/households`, {
    category: 'rural', township, village: '一村', hukou_address: `${township}一村1号`,
    residence_address: `${township}一村1号`,
    members: [{ citizen_id: citizen, name, relationship: 'applicant', lives_together: true,
      inclusion_reason: '单人户', work_capacity: 'none' }],
  })
}

// A valid unified social credit code (GB 32100: the organisation code's check character and the
// code's own) from an 8-character prefix (registration authority, type, division) and an
// 8-character organisation body (digits and upper-case letters).
export function uscc(prefix8, body8) {
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const orgWeights = [3, 7, 9, 10, 5, 8, 4, 2]
  const orgSum = [...body8].reduce((s, c, i) => s + (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55) * orgWeights[i], 0)
  const orgCheck = 11 - (orgSum % 11)
  const first17 = prefix8 + body8 + (orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck))
  let sum = 0
  let weight = 1
  for (const c of first17) { sum += charset.indexOf(c) * weight; weight = (weight * 3) % 31 }
  return first17 + charset[(31 - (sum % 31)) % 31]
}

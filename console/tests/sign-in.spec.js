// The sign-in protections (等保 level 3), in the browser: lock-out after five wrong passwords,
// writes without the CSRF token refused, sessions ended by the (test) clock, and every sign-in,
// failure, lock-out and password change in the audit trail.
import { test, expect } from '@playwright/test'
import {
  signIn, shot, adminApi, currentPassword, hostToday, setHostToday, addDays, COUNTY, SA,
} from './helpers.js'

const auditOf = async (user) => {
  const r = await adminApi('GET', `/api/v1/counties/${COUNTY}/audit?entity_type=user&entity_id=${user}&limit=200`)
  expect(r.status, r.text).toBe(200)
  return r.json.items
}
const actions = (rows) => rows.map((r) => r.action)

test('five wrong passwords lock the account; the lock shows, is audited, and an administrator can lift it', async ({ page }, testInfo) => {
  await page.goto('/#/signin')
  const submit = page.locator('[data-test=signin-submit]')
  const message = page.locator('[data-test=signin-error]')
  await page.getByLabel('用户名').fill('feng')
  for (let attempt = 1; attempt <= 4; attempt++) {
    await page.getByLabel('密码', { exact: true }).fill(`Wrong-Password-${attempt}`)
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
      submit.click(),
    ])
    expect(response.status()).toBe(401)
    await expect(message).toContainText('用户名或密码错误')
  }
  await shot(page, testInfo, 'wrong-password')
  await page.getByLabel('密码', { exact: true }).fill('Wrong-Password-5')
  const [fifth] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
    submit.click(),
  ])
  expect(fifth.status()).toBe(423)
  expect((await fifth.json()).type).toBe('urn:civ:problem:account-locked')
  await expect(message).toContainText('账户已锁定')
  await expect(message).toContainText('locked')
  await shot(page, testInfo, 'locked')

  // Locked means locked: the right password is refused too.
  await page.getByLabel('密码', { exact: true }).fill(currentPassword('feng'))
  await submit.click()
  await expect(message).toContainText('账户已锁定')
  await expect(page).toHaveURL(/#\/signin/)

  // Audited: each failure, the lock, the refusal.
  const rows = await auditOf('feng')
  expect(actions(rows).filter((a) => a === 'session.sign_in_failed')).toHaveLength(5)
  expect(actions(rows)).toContain('account.lock')
  expect(rows.find((r) => r.action === 'account.lock').changes.locked_until.new).toBeTruthy()

  // The administrator unlocks; the right password works again (first sign-in: change it).
  const unlock = await adminApi('POST', '/api/v1/admin/users/feng/unlock')
  expect(unlock.status, unlock.text).toBe(200)
  await signIn(page, 'feng')
  expect(actions(await auditOf('feng'))).toEqual(expect.arrayContaining(['session.sign_in', 'account.password_change']))
})

test('a write without the CSRF token is refused; with it, it reaches the route', async ({ page }) => {
  await signIn(page, 'wu')
  const send = (withToken) => page.evaluate(async ({ path, withToken }) => {
    const session = await (await fetch('/api/v1/session', { credentials: 'same-origin' })).json()
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' }
    if (withToken) headers['X-CSRF-Token'] = session.csrf_token
    const r = await fetch(path, { method: 'POST', credentials: 'same-origin', headers, body: '{}' })
    return { status: r.status, body: await r.json().catch(() => null) }
  }, { path: `${SA}/households`, withToken })
  const refused = await send(false)
  expect(refused.status).toBe(403)
  expect(refused.body.type).toBe('urn:civ:problem:csrf-refused')
  // The same request with the session's token passes the CSRF check (and fails validation).
  const passed = await send(true)
  expect(passed.status).toBe(400)
  expect(passed.body.type).toBe('urn:civ:problem:validation-error')
  // A wrong token is as good as none.
  const forged = await page.evaluate(async (path) => {
    const r = await fetch(path, { method: 'POST', credentials: 'same-origin', body: '{}',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'forged-token-0000' } })
    return { status: r.status, body: await r.json().catch(() => null) }
  }, `${SA}/households`)
  expect(forged.status).toBe(403)
  expect(forged.body.type).toBe('urn:civ:problem:csrf-refused')
})

test('a session unused for longer than the idle timeout ends: the console goes back to sign-in', async ({ page }, testInfo) => {
  await signIn(page, 'wu')
  const list = `/#/c/${COUNTY}/m/social_assistance/list/social_assistance_get_households`
  await page.goto(list)
  await expect(page.locator('.page-title')).toHaveText('家庭列表')
  await expect(page.locator('[data-test=pager]')).toContainText('共')

  // A day later on the host's clock (the idle timeout is 30 minutes).
  await setHostToday(addDays(hostToday(), 1))
  const ended = await page.evaluate(async (path) => {
    const r = await fetch(path, { credentials: 'same-origin' })
    return { status: r.status, body: await r.json().catch(() => null) }
  }, `${SA}/households?limit=1`)
  expect(ended.status).toBe(401)
  expect(ended.body.type).toMatch(/session-ended$/)

  // The console's next request meets the same answer and sends the clerk to sign in, with a
  // way back to the page.
  await page.locator('[data-test=search]').click()
  await expect(page).toHaveURL(/#\/signin\?/)
  await expect(page.locator('[data-test=signin-error]')).toContainText('会话已过期')
  await shot(page, testInfo, 'session-ended')
  await signIn(page, 'wu')
  await expect(page).toHaveURL(new RegExp(list.replace(/[?]/g, '\\?')))
  await expect(page.locator('.page-title')).toHaveText('家庭列表')
})

test('sign-ins, failures, lock-outs and password changes are in the audit trail', async ({ request }) => {
  // wu signed in (twice above, first with the forced change); feng failed, was locked, refused.
  const wu = actions(await auditOf('wu'))
  expect(wu.filter((a) => a === 'session.sign_in').length).toBeGreaterThanOrEqual(2)
  expect(wu).toContain('account.password_change')
  const feng = await auditOf('feng')
  for (const action of ['session.sign_in_failed', 'account.lock', 'session.sign_in']) {
    expect(actions(feng)).toContain(action)
  }
  // Each row names who and when, and is chained (hash).
  for (const row of feng) {
    expect(row.entity_id).toBe('feng')
    expect(row.at).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/)
  }
  // The auditor, signed in to a session of their own, reads the same rows.
  const session = await request.post('/api/v1/session', { data: { user: 'sun', password: currentPassword('sun') } })
  expect(session.status()).toBe(201)
  const trail = await request.get(`/api/v1/counties/${COUNTY}/audit?entity_type=user&entity_id=feng&limit=200`)
  expect(trail.status()).toBe(200)
  expect((await trail.json()).items.map((r) => r.id)).toEqual(feng.map((r) => r.id))
})

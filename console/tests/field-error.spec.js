// A form the server refuses shows each field error of the problem+json at its field (the
// generated form's data-field item), keeps what was typed, and succeeds once corrected.
import { test, expect } from '@playwright/test'
import { signIn, shot, choose, citizenId, COUNTY } from './helpers.js'

test('the server\'s field errors appear at their fields of the generated form', async ({ page }, testInfo) => {
  await signIn(page, 'wu')
  await page.goto(`/#/c/${COUNTY}/m/social_assistance/list/social_assistance_get_households`)
  await page.locator('[data-test=create]').click()
  const form = page.locator('.action-dialog')
  await expect(form).toBeVisible()
  const good = citizenId('19560101', 31)
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0') // a wrong check character
  await choose(page, form, 'category', '农村')
  await form.locator('[data-field="township"] input').fill('关庙镇')
  await form.locator('[data-field="village"] input').fill('张岭村')
  await form.locator('[data-field="hukou_address"] input').fill('关庙镇张岭村2组')
  await form.locator('[data-field="residence_address"] input').fill('关庙镇张岭村2组')
  await form.locator('[data-field="bank_account"] input').fill('6230-12ab') // not digits only
  await form.locator('[data-field="members[0].citizen_id"] input').fill(bad)
  await form.locator('[data-field="members[0].name"] input').fill('刘桂兰')
  await choose(page, form, 'members[0].relationship', '申请人')
  await form.locator('[data-field="members[0].inclusion_reason"] input').fill('单人户')
  await choose(page, form, 'members[0].work_capacity', '无劳动能力')

  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/social_assistance/households') && r.request().method() === 'POST'),
    form.locator('[data-submit]').click(),
  ])
  expect(response.status()).toBe(400)
  const problem = await response.json()
  expect(problem.type).toBe('urn:civ:problem:validation-error')
  const fields = problem.errors.map((e) => e.field).sort()
  expect(fields).toEqual(['bank_account', 'members[0].citizen_id'])

  // Each message at its own field, nowhere else; the form stays open with the values typed.
  await expect(form).toBeVisible()
  for (const e of problem.errors) {
    const item = form.locator(`[data-field="${e.field}"]`)
    await expect(item).toHaveClass(/is-error/)
    await expect(item.locator('.el-form-item__error')).toHaveText(e.message)
  }
  await expect(form.locator('.el-form-item__error')).toHaveCount(2)
  await expect(form.locator('[data-field="members[0].name"] input')).toHaveValue('刘桂兰')
  await expect(page.locator('.el-message--error').last()).toContainText('请检查标红的字段')
  await shot(page, testInfo, 'field-errors')
  await form.locator('[data-field="members[0].citizen_id"]').scrollIntoViewIfNeeded()
  await shot(page, testInfo, 'field-error-citizen-id')

  // Corrected, the same form goes through and the errors are gone.
  await form.locator('[data-field="bank_account"] input').fill('6230123400005678')
  await form.locator('[data-field="members[0].citizen_id"] input').fill(good)
  await form.locator('[data-submit]').click()
  await expect(form).toBeHidden()
  await expect(page).toHaveURL(/\/record\/social_assistance_get_households__id_\?id=\d+/)
  await expect(page.locator('.value-view.depth-0 > .vv-desc [data-value=township]')).toHaveText('关庙镇')
  await shot(page, testInfo, 'corrected')
})

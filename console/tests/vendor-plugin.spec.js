// A vendor's module, built out of tree against the installed SDK and loaded from a second
// plugin directory (acme_notes: tests/vendor/serve_vendor_plugin.sh runs this spec), appears
// in the console with no console code of its own: its menu, its list, its generated form.
// Tagged @vendor: the main run leaves it out (acme_notes is not in the main configuration).
import { test, expect } from '@playwright/test'
import { signIn, shot, citizenId } from './helpers.js'

test('a vendor plugin with no console code is listed and usable @vendor', async ({ page }, testInfo) => {
  await signIn(page, 'wang')
  // The module's menu group, named by its manifest, with its list.
  const group = page.locator('.side-menu [data-module=acme_notes]')
  await expect(group).toBeVisible()
  await expect(group).toContainText('备注（厂商）')
  await group.locator('.el-sub-menu__title').click()
  const item = group.getByRole('menuitem', { name: '备注列表' })
  await expect(item).toBeVisible()
  await shot(page, testInfo, 'vendor-menu')
  await item.click()
  await expect(page).toHaveURL(/\/m\/acme_notes\/list\//)
  await expect(page.locator('.page-title')).toHaveText('备注列表')

  // A note through its generated form.
  const person = citizenId('19700707', 61)
  const text = `厂商模块的备注 ${Date.now()}`
  await page.locator('[data-test=create]').click()
  const form = page.locator('.action-dialog')
  await expect(form).toBeVisible()
  await expect(form.locator('.el-dialog__title')).toHaveText('登记备注')
  await form.locator('[data-field="citizen_id"] input').fill(person)
  await form.locator('[data-field="name"] input').fill('孙小梅')
  await form.locator('[data-field="text"] textarea, [data-field="text"] input').fill(text)
  await shot(page, testInfo, 'vendor-form')
  await form.locator('[data-submit]').click()
  await expect(form).toBeHidden()
  await expect(page).toHaveURL(/\/m\/acme_notes\/record\/.*\?id=\d+/)
  await expect(page.locator('.value-view').first()).toContainText(text)
  await shot(page, testInfo, 'vendor-record')

  // And in the list.
  await page.locator('.crumbs').getByText('备注列表').click()
  await expect(page.locator('.page-title')).toHaveText('备注列表')
  await expect(page.locator('.data-table tbody')).toContainText(text)
  await shot(page, testInfo, 'vendor-list')
})

// A clerk whose scope is one township (关庙镇) sees only that township's households: in the
// list, by citizen ID, and not even by the record's address.
import { test, expect } from '@playwright/test'
import { signIn, shot, citizenId, householdThroughApi, COUNTY } from './helpers.js'

test('a township clerk sees only the households of their township', async ({ page }, testInfo) => {
  // A county-wide clerk registers one household in 关庙镇 and one in 江北街道.
  const inside = citizenId('19620202', 41)
  const outside = citizenId('19630303', 42)
  const mine = await householdThroughApi(inside, '何春梅', '关庙镇')
  const theirs = await householdThroughApi(outside, '罗建国', '江北街道')

  await signIn(page, 'zhou')
  const list = `/#/c/${COUNTY}/m/social_assistance/list/social_assistance_get_households`
  await page.goto(list)
  await expect(page.locator('.page-title')).toHaveText('家庭列表')
  // The records' rows: not the row saying the list is loading or empty, nor an opened detail.
  const rows = page.locator('.data-table tbody tr:not(.dt-empty-row):not(.dt-detail)')
  await expect(rows.first()).toBeVisible()
  // Every row is in 关庙镇, and the 关庙镇 household is among them.
  const townshipColumn = await page.locator('.data-table thead th').allInnerTexts()
  const index = townshipColumn.findIndex((t) => /乡镇|Township/.test(t))
  expect(index, townshipColumn.join('|')).toBeGreaterThanOrEqual(0)
  const townships = await rows.evaluateAll((trs, i) => trs.map((tr) => tr.children[i]?.innerText.trim()), index)
  expect(townships.length).toBeGreaterThan(0)
  expect(new Set(townships)).toEqual(new Set(['关庙镇']))
  await expect(page.locator('.data-table tbody')).toContainText(mine.number)
  await expect(page.locator('.data-table tbody')).not.toContainText(theirs.number)
  await shot(page, testInfo, 'township-list')

  // By citizen ID: the other township's household is not found.
  const filter = page.locator('.filter-card')
  await filter.locator('[data-field="citizen_id"] input').fill(outside)
  await filter.locator('[data-test=search]').click()
  await expect(page.locator('[data-test=pager]')).toContainText('共 0 条')
  await shot(page, testInfo, 'other-township-not-found')
  await filter.locator('[data-field="citizen_id"] input').fill(inside)
  await filter.locator('[data-test=search]').click()
  await expect(page.locator('[data-test=pager]')).toContainText('共 1 条')

  // Nor by the record page's address.
  await page.goto(`/#/c/${COUNTY}/m/social_assistance/record/social_assistance_get_households__id_?id=${theirs.id}`)
  await expect(page.locator('.record-page [role=alert]')).toBeVisible()
  await expect(page.locator('[data-value=township]')).toHaveCount(0)
  await shot(page, testInfo, 'other-township-record')
  await page.goto(`/#/c/${COUNTY}/m/social_assistance/record/social_assistance_get_households__id_?id=${mine.id}`)
  await expect(page.locator('.value-view.depth-0 > .vv-desc [data-value=township]')).toHaveText('关庙镇')
})

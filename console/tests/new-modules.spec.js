// The four modules of issues 19–22 (elderly_care, veterans, place_names, social_orgs) in the
// console with no console code of their own: a county clerk opens each from the menu, creates a
// typical record through the generated form, finds it in the list by the list's own filter,
// opens it, corrects one field through the generated PATCH form, and sees the overdue list
// (home page queue) or the dashboard indicator the module declares. Everything in the browser;
// the test clock is not moved (the records carry past dates where the law counts from them).
import { test, expect } from '@playwright/test'
import { signIn, shot, choose, citizenId, hostToday, addDays, uscc, COUNTY } from './helpers.js'

// A field of the record page's own fields (not of its nested parts).
const fieldOf = (p, name) => p.locator(`.value-view.depth-0 > .vv-desc [data-value=${name}]`)
const input = (scope, field) => scope.locator(`[data-field="${field}"] input, [data-field="${field}"] textarea`).first()

// Opens a module's list from the side menu.
async function openFromMenu(page, module, moduleName, itemName, title = itemName) {
  const group = page.locator(`.side-menu [data-module=${module}]`)
  await expect(group).toContainText(moduleName)
  await group.locator('.el-sub-menu__title').click()
  const item = group.getByRole('menuitem', { name: itemName, exact: true })
  await expect(item).toBeVisible()
  await item.click()
  await expect(page).toHaveURL(new RegExp(`/m/${module}/list/`))
  await expect(page.locator('.page-title')).toHaveText(title)
}

// The list's create button, its generated form filled by `fill`, submitted: ends on the record.
async function createThroughForm(page, module, dialogTitle, fill) {
  await page.locator('[data-test=create]').click()
  const form = page.locator('.action-dialog')
  await expect(form).toBeVisible()
  await expect(form.locator('.el-dialog__title')).toHaveText(dialogTitle)
  await fill(form)
  return form
}
async function submit(page, form, recordPattern) {
  await form.locator('[data-submit]').click()
  await expect(form).toBeHidden()
  await expect(page).toHaveURL(recordPattern)
}

// The list's filter: one field filled, searched, the one row found and opened.
async function findAndOpen(page, field, value, rowText) {
  const filter = page.locator('.filter-card')
  await input(filter, field).fill(value)
  await filter.locator('[data-test=search]').click()
  await expect(page).toHaveURL(new RegExp(`${field}=${encodeURIComponent(value)}`))
  await expect(page.locator('[data-test=pager]')).toContainText('共 1 条')
  const row = page.locator('.data-table tbody tr').filter({ hasText: rowText })
  await expect(row).toHaveCount(1)
  return row
}

// The record's correction (PATCH) form: starts from the record's values; `change` edits one.
async function correct(page, action, change) {
  await page.locator(`[data-action=${action}]`).click()
  const form = page.locator('.action-dialog')
  await expect(form).toBeVisible()
  await change(form)
  return form
}
async function saved(page, form) {
  await form.locator('[data-submit]').click()
  await expect(form).toBeHidden()
  await expect(page.locator('.el-message--success').last()).toBeVisible()
}

// A home-page queue the module declares (x-civ-console.queue), opened: its table lists `name`.
async function queueShows(page, queue, title, rowText, cells) {
  await page.goto(`/#/c/${COUNTY}/home`)
  const card = page.locator(`[data-queue=${queue}]`)
  await expect(card).toContainText(title)
  await expect(card.locator('.queue-count')).toHaveText(/^[1-9]\d*/)
  await card.click()
  await expect(page.locator('.page-title')).toHaveText(title)
  const row = page.locator('.result .data-table tbody tr').filter({ hasText: rowText })
  await expect(row).toHaveCount(1)
  for (const c of cells) await expect(row).toContainText(c)
}

test('the four new modules in the console: form, search, record, correction, overdue list or indicator', async ({ page }, testInfo) => {
  test.setTimeout(300_000)
  const today = hostToday()
  let step = 0
  const snap = (name) => shot(page, testInfo, `${String(++step).padStart(2, '0')}-${name}`)
  await signIn(page, 'chen')

  // 1. elderly_care: an institution registered over a year ago and never inspected.
  {
    await openFromMenu(page, 'elderly_care', '养老机构', '养老机构列表')
    const registered = addDays(today, -400)
    const form = await createThroughForm(page, 'elderly_care', '登记养老机构', async (f) => {
      await input(f, 'name').fill('汉滨区康宁颐养院')
      await input(f, 'uscc').fill(uscc('52610902', 'MJK00071'))
      await choose(page, f, 'profit', '非营利性')
      await choose(page, f, 'ownership', '民办')
      await choose(page, f, 'registration_authority', '民政部门（民办非企业）')
      await input(f, 'address').fill('恒口镇示范区康宁路8号')
      await input(f, 'township').fill('恒口镇')
      await input(f, 'legal_representative').fill('何秀兰')
      await input(f, 'beds').fill('120')
      await input(f, 'nursing_beds').fill('60')
      await input(f, 'floor_area_m2').fill('5200')
      await input(f, 'registered_on').fill(registered)
      await input(f, 'bank_name').fill('汉滨农商银行')
      await input(f, 'bank_account').fill('2707010012345678')
    })
    await snap('elderly-institution-form')
    await submit(page, form, /\/m\/elderly_care\/record\/elderly_care_get_institutions__id_\?id=\d+/)
    await expect(page.locator('[data-test=record-title]')).toContainText('汉滨区康宁颐养院')
    await expect(fieldOf(page, 'beds')).toHaveText('120')
    await expect(fieldOf(page, 'registered_on')).toHaveText(registered)
    const recordUrl = page.url()

    await page.locator('.crumbs').getByText('养老机构列表').click()
    const row = await findAndOpen(page, 'name', '康宁颐养', '汉滨区康宁颐养院')
    await expect(row).toContainText('恒口镇')
    await expect(row).toContainText('120')
    await expect(row).toContainText('运营')
    await snap('elderly-institution-found')
    await row.getByRole('link').first().click()
    await expect(page).toHaveURL(recordUrl)

    // The beds were counted again: 150, not 120.
    const fix = await correct(page, 'elderly_care_patch_institutions__id_', async (f) => {
      await expect(input(f, 'beds')).toHaveValue('120')
      await input(f, 'beds').fill('150')
    })
    await snap('elderly-institution-correction')
    await saved(page, fix)
    await expect(fieldOf(page, 'beds')).toHaveText('150')
    await expect(fieldOf(page, 'nursing_beds')).toHaveText('60')

    // Twelve months after registration without an inspection: the overdue queue lists it.
    await queueShows(page, 'elderly_care_get_inspections_overdue', '逾期未检查机构', '汉滨区康宁颐养院',
      ['恒口镇', `${Number(registered.slice(0, 4)) + 1}${registered.slice(4)}`])
    await snap('elderly-overdue-inspections')
  }

  // 2. veterans: a disabled serviceman's file (一人一档), discharged 100 days ago, whose pension
  //    file has not been transferred in (§30: overdue 60 days after discharge).
  {
    await openFromMenu(page, 'veterans', '优抚安置', '优抚对象')
    const person = citizenId('19840612', 73)
    const discharged = addDays(today, -100)
    const form = await createThroughForm(page, 'veterans', '建立优抚对象档案', async (f) => {
      await input(f, 'citizen_id').fill(person)
      await input(f, 'name').fill('罗志强')
      await choose(page, f, 'category', '残疾军人')
      await choose(page, f, 'hukou', '农村')
      await input(f, 'township').fill('关庙镇')
      await input(f, 'village').fill('张岭村')
      await input(f, 'address').fill('关庙镇张岭村三组12号')
      await input(f, 'phone').fill('13909150001')
      await input(f, 'enlisted_on').fill('2016-09-10')
      await input(f, 'discharged_on').fill(discharged)
      await choose(page, f, 'rank_type', '军士')
      await choose(page, f, 'disability.nature', '因战')
      await input(f, 'disability.grade').fill('6')
      await input(f, 'disability.certificate_number').fill('JC6109020073')
      await input(f, 'disability.assessed_on').fill(addDays(today, -130))
    })
    await snap('veterans-file-form')
    await submit(page, form, /\/m\/veterans\/record\/veterans_get_beneficiaries__id_\?id=\d+/)
    await expect(fieldOf(page, 'name')).toHaveText('罗志强')
    await expect(fieldOf(page, 'category')).toHaveText('残疾军人')
    await expect(fieldOf(page, 'number')).toHaveText(/^YF610902-\d{4}-\d{6}$/)
    await expect(page.locator('.value-view.depth-0 [data-value=disability]')).toContainText('JC6109020073')
    const number = (await fieldOf(page, 'number').textContent()).trim()
    const recordUrl = page.url()

    await page.locator('.crumbs').getByText('优抚对象').click()
    const row = await findAndOpen(page, 'citizen_id', person, number)
    await expect(row).toContainText('罗志强')
    await expect(row).toContainText('关庙镇')
    await snap('veterans-file-found')
    await row.getByRole('link').first().click()
    await expect(page).toHaveURL(recordUrl)

    // The village was written wrong on the form: 张岭村 is 张家岭村.
    const fix = await correct(page, 'veterans_patch_beneficiaries__id_', async (f) => {
      await expect(input(f, 'village')).toHaveValue('张岭村')
      await input(f, 'village').fill('张家岭村')
    })
    await snap('veterans-file-correction')
    await saved(page, fix)
    await expect(fieldOf(page, 'village')).toHaveText('张家岭村')
    await expect(fieldOf(page, 'category')).toHaveText('残疾军人')

    await queueShows(page, 'veterans_get_beneficiaries_overdue_transfers', '抚恤关系逾期未转入', number,
      ['罗志强', '关庙镇', discharged, '40'])
    await snap('veterans-overdue-transfers')
  }

  // 3. place_names: an application to name a new road; the pinyin the module spells is shown,
  //    and the polyphonic 长 (cháng, not zhǎng) is corrected through the form.
  {
    await openFromMenu(page, 'place_names', '地名区划', '地名查询')
    const form = await createThroughForm(page, 'place_names', '地名命名、更名申请', async (f) => {
      await input(f, 'specific').fill('长乐')
      await input(f, 'generic').fill('路')
      await choose(page, f, 'category', '街路巷、住宅区、楼宇')
      await input(f, 'division_code').fill('610902003')
      await input(f, 'built_up_area').fill('江北新区')
      // Its position, a GeoJSON point (longitude, latitude) typed in as two numbers.
      await choose(page, f, 'location.type', 'Point')
      const coordinates = input(f, 'location.coordinates')
      for (const n of ['109.0291', '32.6847']) {
        await coordinates.pressSequentially(n, { delay: 20 })
        await expect(page.locator('.el-select-dropdown:visible').getByRole('option', { name: n, exact: true })).toBeVisible()
        await coordinates.press('Enter')
        await expect(f.locator('[data-field="location.coordinates"] .el-tag').filter({ hasText: n })).toBeVisible()
      }
      await input(f, 'meaning').fill('长久安乐')
      await input(f, 'reason').fill('江北新区新建道路，需命名')
    })
    await snap('place-name-form')
    await submit(page, form, /\/m\/place_names\/record\/place_names_get_names__id_\?id=\d+/)
    await expect(fieldOf(page, 'name')).toHaveText('长乐路')
    await expect(fieldOf(page, 'status')).toHaveText('拟命名')
    await expect(fieldOf(page, 'township')).toHaveText('江北街道')
    await expect(page.locator('.value-view.depth-0 [data-value=location] [data-value=coordinates]')).toHaveText('109.0291、32.6847')
    // The first reading of 长 (zhǎng): the clerk sees it and corrects it below.
    await expect(fieldOf(page, 'pinyin')).toHaveText('Zhangle Lu')
    await snap('place-name-record')
    const recordUrl = page.url()

    await page.locator('.crumbs').getByText('地名查询').click()
    const row = await findAndOpen(page, 'q', '长乐', '长乐路')
    await expect(row).toContainText('Zhangle Lu')
    await expect(row).toContainText('拟命名')
    await snap('place-name-found')
    await row.getByRole('link').first().click()
    await expect(page).toHaveURL(recordUrl)

    const fix = await correct(page, 'place_names_patch_names__id_', async (f) => {
      await input(f, 'specific_pinyin').fill('cháng lè')
    })
    await snap('place-name-correction')
    await saved(page, fix)
    await expect(fieldOf(page, 'pinyin')).toHaveText('Changle Lu')
    await expect(fieldOf(page, 'pinyin_tones')).toHaveText('Chánglè Lù')
    await expect(fieldOf(page, 'pinyin_sign')).toHaveText('CHANGLE LU')
    await expect(fieldOf(page, 'name')).toHaveText('长乐路')

    // The dashboard's indicator of the module: this year's naming applications, by township.
    await page.goto(`/#/c/${COUNTY}/dashboard`)
    await input(page.locator('.period-form'), 'from').fill(`${today.slice(0, 4)}-01-01`)
    await input(page.locator('.period-form'), 'to').fill(`${today.slice(0, 4)}-12-31`)
    await page.locator('.period-form').getByRole('button', { name: '查询' }).click()
    const section = page.locator('.indicator-group').filter({ has: page.locator('.section-title', { hasText: '地名区划' }) })
    const indicator = section.locator('.el-table__body tr').filter({ hasText: '地名命名申请' })
    await expect(indicator).toContainText('江北街道 1')
    await snap('place-names-indicator')
  }

  // 4. social_orgs: a 社会团体's registration applied for with its documents complete 70 days
  //    ago: the 60-day decision limit has passed (the module's overdue queue).
  {
    await openFromMenu(page, 'social_orgs', '社会组织', '社会组织查询')
    const complete = addDays(today, -70)
    const form = await createThroughForm(page, 'social_orgs', '成立登记申请', async (f) => {
      await choose(page, f, 'type', '社会团体')
      await input(f, 'name').fill('汉滨区茶文化研究会')
      await input(f, 'sponsor_unit').fill('汉滨区文化和旅游局')
      await input(f, 'legal_representative.citizen_id').fill(citizenId('19670304', 74))
      await input(f, 'legal_representative.name').fill('杜明远')
      await input(f, 'address').fill('江北街道滨江大道20号')
      await input(f, 'township').fill('江北街道')
      await input(f, 'individual_members').fill('86')
      await input(f, 'funds').fill('30000.00')
      await input(f, 'complete_on').fill(complete)
    })
    await snap('social-org-form')
    await submit(page, form, /\/m\/social_orgs\/record\/social_orgs_get_organisations__id_\?id=\d+/)
    await expect(fieldOf(page, 'name')).toHaveText('汉滨区茶文化研究会')
    await expect(fieldOf(page, 'status')).toHaveText('已申请')
    await expect(fieldOf(page, 'funds')).toHaveText('30000.00')
    await expect(fieldOf(page, 'decision_due')).toHaveText(addDays(complete, 60))
    const recordUrl = page.url()

    await page.locator('.crumbs').getByText('社会组织查询').click()
    const row = await findAndOpen(page, 'name', '茶文化', '汉滨区茶文化研究会')
    await expect(row).toContainText('社会团体')
    await expect(row).toContainText('已申请')
    await snap('social-org-found')
    await row.getByRole('link').first().click()
    await expect(page).toHaveURL(recordUrl)

    // The founders' funds were 35,000.50 yuan, not 30,000: corrected to the fen.
    const fix = await correct(page, 'social_orgs_patch_organisations__id_', async (f) => {
      await expect(input(f, 'funds')).toHaveValue('30000.00')
      await input(f, 'funds').fill('35000.50')
    })
    await snap('social-org-correction')
    await saved(page, fix)
    await expect(fieldOf(page, 'funds')).toHaveText('35000.50')
    await expect(fieldOf(page, 'status')).toHaveText('已申请')

    await queueShows(page, 'social_orgs_get_overdue', '逾期事项', '汉滨区茶文化研究会',
      ['江北街道', addDays(complete, 60)])
    await snap('social-orgs-overdue')
  }
})

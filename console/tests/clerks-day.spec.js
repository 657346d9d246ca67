// A clerk's day, in the browser, with the people of one county office: the clerk signs in for
// the first time (forced password change), registers a household with the generated form,
// finds it by citizen ID, takes an application through the investigation (two investigators
// sign with their own accounts), the township review (reviewer), the 公示 (the test clock
// moves past it) and the county's approval by a different person (approver), who sees who
// submitted it; the approver runs the payment month, a second approver confirms it, and the
// clerk downloads the bank's roll: the payee and the amount in yuan to the fen are in it.
import fs from 'node:fs'
import { test, expect } from '@playwright/test'
import {
  asUser, signIn, shot, choose, citizenId, startOfNextMonth, setHostToday, addDays, nextMonth, COUNTY,
} from './helpers.js'

const listUrl = (module, op) => `/#/c/${COUNTY}/m/${module}/list/${op}`
const HOUSEHOLDS = listUrl('social_assistance', 'social_assistance_get_households')

test('a clerk\'s day: household, application, investigation, 公示, approval, payment month, roll', async ({ browser, page }, testInfo) => {
  test.setTimeout(300_000) // five people, seven steps, a slow machine
  const person = citizenId('19480315', 21)
  const start = await startOfNextMonth()
  let step = 0
  const t0 = Date.now()
  const snap = async (p, name) => {
    if (process.env.CIV_TIMING) console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${name}`)
    await shot(p, testInfo, `${String(++step).padStart(2, '0')}-${name}`)
  }

  // 1. First sign-in: the console forces the password change.
  await signIn(page, 'wang', { testInfo, prefix: '00' })
  await snap(page, 'home')

  // 2. Register a household with the generated form.
  await page.goto(HOUSEHOLDS)
  await expect(page.locator('.page-title')).toHaveText('家庭列表')
  await page.locator('[data-test=create]').click()
  const form = page.locator('.action-dialog')
  await expect(form).toBeVisible()
  await choose(page, form, 'category', '城市')
  await form.locator('[data-field="township"] input').fill('江北街道')
  await form.locator('[data-field="village"] input').fill('东坝社区')
  await form.locator('[data-field="hukou_address"] input').fill('汉滨区东坝路3号')
  await form.locator('[data-field="residence_address"] input').fill('汉滨区东坝路3号')
  await form.locator('[data-field="bank_name"] input').fill('汉滨农商银行')
  await form.locator('[data-field="bank_account"] input').fill('6230999988887777')
  await form.locator('[data-field="members[0].citizen_id"] input').fill(person)
  await form.locator('[data-field="members[0].name"] input').fill('陈秀英')
  await choose(page, form, 'members[0].relationship', '申请人')
  await form.locator('[data-field="members[0].lives_together"] .el-switch').click()
  await form.locator('[data-field="members[0].inclusion_reason"] input').fill('单人户')
  await choose(page, form, 'members[0].work_capacity', '无劳动能力')
  await snap(page, 'household-form')
  await form.locator('[data-submit]').click()
  await expect(form).toBeHidden()
  await expect(page).toHaveURL(/\/record\/social_assistance_get_households__id_\?id=\d+/)
  const householdId = new URL(page.url().replace('#/', '')).searchParams.get('id')
  await expect(page.locator('[data-test=record-title]')).toContainText('家庭详情')
  await snap(page, 'household-record')

  const householdUrl = page.url()
  let runUrl = ''

  // 3. Find it by citizen ID in the list (the list's own filter).
  await page.goto(HOUSEHOLDS)
  const filter = page.locator('.filter-card')
  await filter.locator('[data-field="citizen_id"] input').fill(person)
  await filter.locator('[data-test=search]').click()
  await expect(page).toHaveURL(new RegExp(`citizen_id=${person}`))
  await expect(page.locator('[data-test=pager]')).toContainText('共 1 条')
  const row = page.locator('.data-table tbody tr').filter({ hasText: '江北街道' })
  await expect(row).toHaveCount(1)
  await snap(page, 'household-found')
  // The row opens to the household's details (every field, the id the table leaves out) and closes.
  const details = row.first().getByRole('button', { name: '详情' })
  await details.click()
  await expect(details).toHaveAttribute('aria-expanded', 'true')
  await expect(page.locator('.data-table tbody tr.dt-detail')).toContainText('东坝社区')
  await details.click()
  await expect(page.locator('.data-table tbody tr.dt-detail')).toHaveCount(0)
  // A header the server sorts by: ascending, then descending, asked of the server in the URL.
  const created = page.locator('.data-table thead th').filter({ hasText: '建立日期' })
  await created.getByRole('button').click()
  await expect(page).toHaveURL(/sort=created_on/)
  await expect(created).toHaveAttribute('aria-sort', 'ascending')
  await created.getByRole('button').click()
  await expect(page).toHaveURL(/sort=-created_on/)
  await expect(created).toHaveAttribute('aria-sort', 'descending')
  await expect(row).toHaveCount(1)
  await row.getByRole('link').first().click()
  await expect(page).toHaveURL(householdUrl)

  // 4. The household's income (six months before the application): 1200 → 200 a month.
  await page.locator('[data-action=social_assistance_post_households__id__income_items]').click()
  const income = page.locator('.action-dialog')
  await choose(page, income, 'category', '转移净收入')
  await choose(page, income, 'treatment', '计入家庭收入')
  await income.locator('[data-field="amount"] input').fill('1200.00')
  await income.locator('[data-field="period_from"] input').fill(`${addDays(start, -181).slice(0, 7)}-01`)
  await income.locator('[data-field="period_to"] input').fill(addDays(`${start.slice(0, 7)}-01`, -1))
  await income.locator('[data-field="description"] input, [data-field="description"] textarea').fill('子女赡养费')
  await snap(page, 'income-form')
  await income.locator('[data-submit]').click()
  await expect(income).toBeHidden()
  await expect(page.getByRole('tab', { name: /家庭收入列表 \(1\)/ })).toBeVisible()

  // 5. The application (dibao) for the household.
  await page.goto(listUrl('social_assistance', 'social_assistance_get_applications'))
  await page.locator('[data-test=create]').click()
  const application = page.locator('.action-dialog')
  await application.locator('[data-field="household_id"] input').fill(householdId)
  await choose(page, application, 'program', '最低生活保障')
  await application.locator('[data-field="applicant_citizen_id"] input').fill(person)
  await snap(page, 'application-form')
  await application.locator('[data-submit]').click()
  await expect(application).toBeHidden()
  await expect(page).toHaveURL(/\/record\/social_assistance_get_applications__id_\?id=\d+/)
  const applicationUrl = page.url()
  await expect(page.locator('[data-test=record-title]')).toContainText('申请详情')
  await snap(page, 'application-record')

  const act = async (p, action, fill) => {
    const button = p.locator(`[data-action=social_assistance_post_applications__id__${action}]`)
    await button.click()
    const dialog = p.locator('.action-dialog')
    if (fill) await fill(dialog)
    await snap(p, `${action.replace(/_/g, '-')}`)
    await dialog.locator('[data-submit]').click()
    await expect(dialog).toBeHidden()
    await expect(p.locator('.el-message--success').last()).toBeVisible()
  }
  // 6. The investigation: started, signed by the clerk and by a second investigator.
  await act(page, 'investigation_start')
  await act(page, 'investigation_signatures')
  {
    const chen = await asUser(browser, 'chen', { next: applicationUrl })
    await act(chen.page, 'investigation_signatures', (d) => d.locator('[data-field="note"] input, [data-field="note"] textarea').fill('已入户核实'))
    await chen.context.close()
  }
  await page.reload()
  await act(page, 'investigation_complete', async (d) => {
    await d.getByRole('button', { name: /添加/ }).click()
    await choose(page, d, 'data_checks[0].item', '存款')
    await choose(page, d, 'data_checks[0].result', '一致')
  })
  await expect(statusOf(page)).toHaveText('调查完成')
  await expect(fieldOf(page, 'investigators')).toHaveText(/chen.*wang|wang.*chen/)

  // 7. The township's review (a reviewer).
  {
    const li = await asUser(browser, 'li', { next: applicationUrl })
    await act(li.page, 'township_review', (d) => choose(li.page, d, 'opinion', '同意'))
    await expect(statusOf(li.page)).toHaveText('乡镇已审核')
    await li.context.close()
  }

  // 8. 公示 for seven days.
  await page.reload()
  await act(page, 'notice', (d) => d.locator('[data-field="location"] input').fill('东坝社区公示栏'))
  await expect(statusOf(page)).toHaveText('公示中')
  await snap(page, 'in-notice')

  // The 公示 is over: the test clock moves past it (every session ends: all sign in again).
  const decisionDay = await setHostToday(addDays(start, 8))

  // 9. The county's approval by another person: the page says who submitted.
  {
    const zhao = await asUser(browser, 'zhao', { next: applicationUrl })
    await expect(fieldOf(zhao.page, 'submitted_by')).toHaveText('wang')
    await snap(zhao.page, 'approver-sees-submitter')
    await act(zhao.page, 'decision', (d) => choose(zhao.page, d, 'result', '审批确认'))
    await expect(statusOf(zhao.page)).toHaveText('审批确认')
    await expect(fieldOf(zhao.page, 'decided_by')).toHaveText('zhao')
    await snap(zhao.page, 'approved')

    // 10. The payment month (the first month of the case), prepared by the approver.
    await zhao.page.goto(listUrl('social_assistance', 'social_assistance_get_payment_runs'))
    await zhao.page.locator('[data-test=create]').click()
    const run = zhao.page.locator('.action-dialog')
    const month = nextMonth(decisionDay)
    await run.locator('[data-field="month"] input').fill(month)
    await run.locator('[data-field="month"] input').press('Enter')
    await snap(zhao.page, 'payment-run-form')
    await run.locator('[data-submit]').click()
    await expect(run).toBeHidden()
    await expect(zhao.page).toHaveURL(new RegExp(`/record/social_assistance_get_payment_runs__month_\\?month=${month}`))
    // 500 (urban standard) − 1200 / 6 (income) = 300.00 a month, the household's line.
    await zhao.page.getByRole('tab', { name: /发放名册明细/ }).click()
    await expect(zhao.page.locator('.el-tab-pane:visible .data-table tbody tr').filter({ hasText: '陈秀英' })).toContainText('300.00')
    await expect(statusOf(zhao.page)).toHaveText('待复核')
    await snap(zhao.page, 'payment-run')
    runUrl = zhao.page.url()
    // Whoever prepared the run may not confirm it (four eyes).
    await confirmRun(zhao.page)
    await expect(zhao.page.locator('.el-message--error').last()).toBeVisible()
    await snap(zhao.page, 'payment-run-own-confirmation-refused')
    await zhao.context.close()
  }

  // 11. A second approver confirms the run.
  {
    const qian = await asUser(browser, 'qian', { next: runUrl })
    await confirmRun(qian.page)
    await expect(qian.page.locator('.el-message--success').last()).toBeVisible()
    await expect(statusOf(qian.page)).toHaveText('已复核')
    await expect(fieldOf(qian.page, 'confirmed_by')).toHaveText('qian')
    await snap(qian.page, 'payment-run-confirmed')
    await qian.context.close()
  }

  // 12. The clerk's page has been open all along, but the clock ended the session: the next
  // request sends the clerk to sign in, and back to the application afterwards.
  await expect(page).toHaveURL(applicationUrl)
  await page.getByRole('button', { name: '刷新' }).click()
  await expect(page).toHaveURL(/#\/signin\?/)
  await expect(page.locator('[data-test=signin-error]')).toContainText('会话已过期')
  await snap(page, 'clerk-session-ended')
  await signIn(page, 'wang')
  await expect(page).toHaveURL(applicationUrl)
  await expect(statusOf(page)).toHaveText('审批确认')
  // The bank's roll.
  await page.goto(runUrl)
  const csvLink = page.locator('a[data-doc=social_assistance_get_payment_runs__month__roll_csv]')
  await expect(csvLink).toBeVisible()
  await snap(page, 'roll-download')
  const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()])
  const file = testInfo.outputPath(download.suggestedFilename() || 'roll.csv')
  await download.saveAs(file)
  const csv = fs.readFileSync(file, 'utf8')
  expect(csv).toContain('陈秀英')
  expect(csv).toContain('6230999988887777')
  const line = csv.split(/\r?\n/).find((l) => l.includes('陈秀英'))
  expect(line, csv).toBeTruthy()
  expect(line).toMatch(/(^|,|")300\.00("|,|$)/)
  testInfo.attach('roll.csv', { path: file, contentType: 'text/csv' })
})

// A field of the record page's own fields (not of its nested parts).
function fieldOf(p, name) { return p.locator(`.value-view.depth-0 > .vv-desc [data-value=${name}]`) }
function statusOf(p) { return fieldOf(p, 'status') }

async function confirmRun(p) {
  await p.locator('[data-action=social_assistance_post_payment_runs__month__confirmation]').click()
  const box = p.locator('.el-message-box')
  await expect(box).toBeVisible()
  await box.getByRole('button', { name: '确定' }).click()
  await expect(box).toBeHidden()
}

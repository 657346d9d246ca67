// The console's speed, as a clerk's browser sees it (issue 18 item 8), in Debian's Chromium:
//   first page: from navigation to the sign-in form ready for input, and the bytes it downloaded;
//   list page: from navigation to 50 households of one township rendered in the table (opened
//   again; the first opening, which also loads the module's API description, beside it).
// Usage: node bench/console.mjs BASE_URL USER PASSWORD RUNS
// Prints one JSON object; bench/run puts the medians in RESULTS.md. Played with playwright-core
// from console/node_modules (installed by scripts/setup); no figure is asserted.
import { createRequire } from 'node:module'

const require = createRequire(new URL('../console/package.json', import.meta.url))
const { chromium } = require('@playwright/test')

const [base, user, password, runsText] = process.argv.slice(2)
const runs = Number(runsText || 3)
const listRoute =
  '/#/c/610902/m/social_assistance/list/social_assistance_get_households?township=' +
  encodeURIComponent('关庙镇') + '&limit=50'

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
})
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]
const first = [], bytes = [], firstList = [], list = [], rows = []
try {
  for (let run = 0; run < runs; run++) {
    // A new context each run: an empty cache, as a clerk's first visit of the day after an update.
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    const page = await context.newPage()
    await page.goto(base + '/#/signin')
    await page.locator('[data-field="user"] input').waitFor({ state: 'visible' })
    const ready = await page.evaluate(() => performance.now())
    const transferred = await page.evaluate(() =>
      performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
        .reduce((sum, entry) => sum + (entry.transferSize || 0), 0))
    first.push(ready)
    bytes.push(transferred)

    await page.locator('[data-field="user"] input').fill(user)
    await page.locator('[data-field="password"] input').fill(password)
    await page.locator('[data-test="signin-submit"]').click()
    await page.waitForURL(/#\/c\//)
    // The first list of the session also loads the module's API description; the figure is the
    // list opened again (another township, then this one), as a clerk moves between lists.
    const body = page.locator('.data-table tbody tr')
    let started = Date.now()
    await page.goto(base + listRoute)
    await body.nth(49).waitFor({ state: 'visible', timeout: 30000 })
    firstList.push(Date.now() - started)
    await page.goto(base + '/#/c/610902/home')
    await page.waitForTimeout(200)
    started = Date.now()
    await page.goto(base + listRoute)
    await body.nth(49).waitFor({ state: 'visible', timeout: 30000 })
    list.push(Date.now() - started)
    rows.push(await body.count())
    await context.close()
  }
} finally {
  await browser.close()
}
console.log(JSON.stringify({
  first_page_ms: Math.round(median(first)), first_page_ms_min: Math.round(Math.min(...first)),
  first_page_ms_max: Math.round(Math.max(...first)), first_page_bytes: median(bytes),
  list_ms: median(list), list_ms_min: Math.min(...list), list_ms_max: Math.max(...list),
  list_rows: median(rows), first_list_ms: median(firstList),
}))

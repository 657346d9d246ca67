// Browser tests of the console: Debian's Chromium (never a downloaded browser), one worker (the
// specs share one civhost and move its test clock), screenshots kept. Run through
// tests/run-browser-tests.sh, which starts civhost and sets CIV_URL.
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: './tests',
  testMatch: '*.spec.js',
  globalSetup: './tests/global-setup.js',
  outputDir: process.env.CIV_TEST_OUTPUT || 'test-results/main',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.CIV_URL,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // The console honours prefers-reduced-motion: no transitions to wait for.
    contextOptions: { reducedMotion: 'reduce' },
    screenshot: 'on',
    trace: 'retain-on-failure',
    acceptDownloads: true,
    actionTimeout: 15_000,
    navigationTimeout: 15_000,
    launchOptions: {
      executablePath: process.env.CIV_CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium' }],
})

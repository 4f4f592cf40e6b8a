/**
 * The desktop app's end-to-end test alone (`npm run test:electron`). It also runs with the other specs
 * under the main playwright.config.ts. Where no Electron binary is installed it is reported as skipped,
 * with the reason.
 */
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/electron',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list'], ['./skip-reasons.ts']],
})

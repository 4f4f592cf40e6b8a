/**
 * UI measurements (not tests: they print figures and assert nothing): `npx playwright test -c
 * playwright.bench.config.ts`. Same station and browser setup as the e2e tests.
 */
import { defineConfig } from '@playwright/test'
import base from './playwright.config'

export default defineConfig({
  ...base,
  testMatch: '*.bench.ts',
  timeout: 300_000,
  outputDir: 'test-results/bench',
})

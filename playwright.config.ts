/**
 * End-to-end tests of the guard UI in Chromium against the headless station (and the simulators, which
 * the specs start). Debian's Chromium is used as is: never `playwright install`. Screenshots of each
 * screen land in test-results/ as artifacts (gitignored).
 */
import { defineConfig } from '@playwright/test'
import { CHROMIUM, E2E_DATA_DIR, E2E_URL } from './e2e/env'

// The station's data folder, known to the specs (the playback spec records into it).
process.env.E2E_DATA_DIR = E2E_DATA_DIR

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // One station for all specs, two cores: run the specs one after the other.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: E2E_URL,
    viewport: { width: 1280, height: 720 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'node e2e/start-station.mjs',
    url: `${E2E_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
})

import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** What the e2e station is started with (playwright.config.ts) and what the specs sign in with. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 8797)
export const E2E_URL = `http://127.0.0.1:${E2E_PORT}`
/**
 * The e2e station's data folder (one per port): the playback spec writes recorded segments and their index
 * rows there, as the recorder would. playwright.config.ts hands it to the station (start-station.mjs).
 */
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? join(tmpdir(), `station-e2e-${E2E_PORT}`)
export const E2E_ADMIN_PASSWORD = 'e2e-admin-password'
export const E2E_DEVICE_KEY = 'e2e-device-key-0123456789'
export const E2E_GUARD = { username: 'guard-e2e', password: 'guard-e2e-password' }
/** Devices count as offline this soon after going quiet (so offline events come quickly). */
export const E2E_DEVICE_OFFLINE_MS = 3000
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * The screen tells the truth about what it has not seen (issue 14): a pull camera nobody watches is
 * checked, and its badge says when it was last confirmed, or since when it is offline; while the station
 * cannot be reached every state is "Unknown since HH:MM" (grey), and once it is back (restarted: stream
 * tokens from before are void) the tiles play again at once, without a stale "Online · 0 fps".
 */
import type { Page } from '@playwright/test'
import { SimCameraServer } from '../src/main/video/sim/camera-server'
import { canvasDigest, expect, shot, test } from './fixtures'
import { OWN_ADMIN_PASSWORD, OwnStation } from './own-station'

let station: OwnStation
let cam: SimCameraServer
let cameraId: number

test.beforeAll(async () => {
  station = new OwnStation({ STATION_VIDEO_PROBE_MS: '1000', STATION_VIDEO_OFFLINE_MS: '3000' })
  await station.start()
  cam = await new SimCameraServer({ fps: 10, label: 'HONEST' }).start()
  const res = await station.api<{ id: number }>('POST', '/api/cameras', await station.adminToken(), {
    name: 'Back gate',
    kind: 'mjpeg',
    url: `${cam.url}/mjpeg`,
    allowLocal: true,
  })
  expect(res.status).toBe(201)
  cameraId = res.data.id
})
test.afterAll(async () => {
  await cam?.stop()
  await station?.dispose()
})

async function signIn(page: Page): Promise<void> {
  await page.goto(station.url)
  await page.getByTestId('login-username').fill('admin')
  await page.getByTestId('login-password').fill(OWN_ADMIN_PASSWORD)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('current-user')).toContainText('admin')
}

async function expectMoving(page: Page): Promise<void> {
  const tile = `[data-camera-id="${cameraId}"] canvas`
  const first = await canvasDigest(page, tile)
  await expect.poll(() => canvasDigest(page, tile), { timeout: 15_000 }).not.toBe(first)
}

test('an unwatched pull camera says when it was last confirmed, and goes offline when it dies', async ({
  page,
}, info) => {
  await signIn(page)
  await page.getByTestId('nav-admin').click()
  const row = page.locator('[data-testid="camera-row"][data-camera-name="Back gate"]')
  const state = row.getByTestId('camera-state')
  await expect(state).toHaveText(/^Online · confirmed \d\d:\d\d$/)
  await shot(page, info, 'camera-confirmed')
  await cam.stop()
  await expect(state).toHaveText(/^Offline since \d\d:\d\d$/)
  await expect(state).toHaveAttribute('data-state', 'offline')
  await shot(page, info, 'camera-offline-unwatched')
  await cam.start()
  await expect(state).toHaveText(/^Online · confirmed \d\d:\d\d$/)
})

test('while the station is down everything is unknown; once it is back the video plays again', async ({
  page,
}, info) => {
  await signIn(page)
  const tile = page.locator(`[data-camera-id="${cameraId}"]`)
  const state = tile.getByTestId('tile-state')
  await expect(state).toHaveText(/^Online · confirmed \d\d:\d\d$/)
  await expectMoving(page)
  await expect(tile).toContainText(/\d+ fps/)

  await station.stop()
  await expect(page.getByTestId('connection-lost')).toBeVisible()
  await expect(state).toHaveText(/^Unknown since \d\d:\d\d$/)
  await expect(tile).toHaveAttribute('data-state', 'unknown')
  await expect(tile).not.toContainText(/[1-9]\d* fps/)
  await shot(page, info, 'station-unreachable')

  await station.start()
  await expect(page.getByTestId('connection-lost')).toHaveCount(0, { timeout: 30_000 })
  // Back at once with fresh stream tokens (the old ones died with the station), not 50 s of frozen video.
  await expect(state).toHaveText(/^Online · confirmed \d\d:\d\d$/)
  await expectMoving(page)
  await expect(tile.getByText(/^\d+ fps$/)).toHaveText(/^[1-9]\d* fps$/)
  await shot(page, info, 'station-back')
})

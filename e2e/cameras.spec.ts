/** The camera wall with simulated cameras: live frames, layouts, fullscreen, an offline tile. */
import type { Page } from '@playwright/test'
import { startSimulatedCameras, type SimulatedCameras } from '../src/main/video/sim'
import { E2E_DEVICE_KEY, E2E_URL } from './env'
import { adminToken, canvasDigest, expect, shot, signIn, test } from './fixtures'

let sim: SimulatedCameras

test.beforeAll(async () => {
  sim = await startSimulatedCameras({
    stationUrl: E2E_URL,
    adminToken: await adminToken(),
    deviceKey: E2E_DEVICE_KEY,
    cameras: 4,
    fps: 10,
    kinds: ['push', 'push', 'mjpeg', 'snapshot'],
    namePrefix: 'E2E cam',
  })
})
test.afterAll(async () => {
  await sim?.stop()
})

async function expectMoving(page: Page, cameraId: number): Promise<void> {
  const tile = `[data-camera-id="${cameraId}"] canvas`
  const first = await canvasDigest(page, tile)
  await expect.poll(() => canvasDigest(page, tile), { timeout: 15_000 }).not.toBe(first)
  const second = await canvasDigest(page, tile)
  await expect.poll(() => canvasDigest(page, tile), { timeout: 15_000 }).not.toBe(second)
}

test('tiles show live frames, fps and frame age', async ({ page }, info) => {
  await signIn(page)
  await page.keyboard.press('2')
  const grid = page.getByTestId('camera-grid')
  await expect(grid).toHaveAttribute('data-layout', '4')
  const pushCam = sim.cameras.find((c) => c.kind === 'push')!
  const mjpegCam = sim.cameras.find((c) => c.kind === 'mjpeg')!
  const tile = page.locator(`[data-camera-id="${pushCam.id}"]`)
  await expect(tile).toHaveAttribute('data-online', 'true')
  await expectMoving(page, pushCam.id)
  await expectMoving(page, mjpegCam.id)
  await expect(tile).toContainText(/\d+ fps/)
  await expect(tile).toContainText(/frame \d+\.\d s old/)
  // Frames are received, decoded and drawn in the video worker, not on the page's main thread.
  expect(page.workers().map((w) => w.url())).toEqual(
    expect.arrayContaining([expect.stringMatching(/frame-worker/)]),
  )
  await shot(page, info, 'camera-grid')
})

test('without OffscreenCanvas and ImageDecoder, tiles draw on the page', async ({ page }) => {
  await page.addInitScript(() => {
    const g = globalThis as unknown as { HTMLCanvasElement: { prototype: object }; ImageDecoder?: unknown }
    delete (g.HTMLCanvasElement.prototype as { transferControlToOffscreen?: unknown })
      .transferControlToOffscreen
    delete g.ImageDecoder
  })
  await signIn(page)
  await page.keyboard.press('2')
  const cam = sim.cameras.find((c) => c.kind === 'push')!
  await expectMoving(page, cam.id)
  await expect(page.locator(`[data-camera-id="${cam.id}"]`)).toContainText(/[1-9]\d* fps/)
  expect(page.workers()).toEqual([])
})

test('switches layouts with buttons and keys 1-4', async ({ page }) => {
  await signIn(page)
  const grid = page.getByTestId('camera-grid')
  await page.getByTestId('layout-9').click()
  await expect(grid).toHaveAttribute('data-layout', '9')
  // Keys 1-4 pick the 1, 4, 9 and 16-tile layouts.
  await page.keyboard.press('1')
  await expect(grid).toHaveAttribute('data-layout', '1')
  await expect(grid.getByTestId('camera-tile')).toHaveCount(1)
  await expect(page.getByText(/Page 1 of \d+/)).toBeVisible()
  await page.keyboard.press('2')
  await expect(grid).toHaveAttribute('data-layout', '4')
  await expect(grid.getByTestId('camera-tile')).toHaveCount(4)
  await page.keyboard.press('4')
  await expect(grid).toHaveAttribute('data-layout', '16')
  // The layout survives a reload (persisted settings).
  await page.keyboard.press('3')
  await expect(grid).toHaveAttribute('data-layout', '9')
  await page.reload()
  await expect(page.getByTestId('camera-grid')).toHaveAttribute('data-layout', '9')
})

test('opens a camera fullscreen at full rate and comes back with Esc', async ({ page }, info) => {
  await signIn(page)
  const cam = sim.cameras.find((c) => c.kind === 'push')!
  await page.locator(`[data-camera-id="${cam.id}"]`).dblclick()
  const full = page.getByTestId('fullscreen-camera')
  await expect(full).toBeVisible()
  await expectMoving(page, cam.id)
  await shot(page, info, 'camera-fullscreen')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('camera-grid')).toBeVisible()
  await page.locator(`[data-camera-id="${cam.id}"]`).focus()
  await page.keyboard.press('f')
  await expect(full).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(full).toHaveCount(0)
})

test('a camera that stops sending is shown offline, dimmed, with when it was last seen', async ({
  page,
}, info) => {
  await signIn(page)
  await page.keyboard.press('2')
  const cam = sim.cameras.filter((c) => c.kind === 'push')[1]!
  const tile = page.locator(`[data-camera-id="${cam.id}"]`)
  await expect(tile).toHaveAttribute('data-online', 'true')
  cam.push!.stop()
  await expect(tile).toHaveAttribute('data-online', 'false', { timeout: 20_000 })
  await expect(tile).toHaveClass(/tile-offline/)
  await expect(tile.getByTestId('tile-last-seen')).toContainText(/Last seen/)
  await shot(page, info, 'camera-offline')
  await cam.push!.start()
  await expect(tile).toHaveAttribute('data-online', 'true', { timeout: 20_000 })
})

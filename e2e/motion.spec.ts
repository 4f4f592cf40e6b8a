/**
 * Motion in the UI: an admin draws a zone over a camera's snapshot and turns detection on; the camera's
 * tile shows the Motion badge while a square moves in front of it, and loses it once the picture stands
 * still. The camera is a push camera fed JPEGs that ffmpeg makes.
 */
import { execFileSync } from 'node:child_process'
import { E2E_DEVICE_KEY, E2E_URL } from './env'
import { adminToken, api, expect, shot, signIn, test } from './fixtures'

/** `n` JPEGs of a white square sliding over grey (or standing still), 320x180. */
function squareJpegs(n: number, still = false): Buffer[] {
  const x = still ? '40' : `(W-w)*t/${n / 10}`
  const out = execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=0x404040:size=320x180:rate=10'],
      ...['-f', 'lavfi', '-i', 'color=c=white:size=36x36:rate=10', '-filter_complex'],
      `[0][1]overlay=x='${x}':y=72:shortest=1`,
      ...['-frames:v', String(n), '-c:v', 'mjpeg', '-q:v', '5', '-f', 'image2pipe', 'pipe:1'],
    ],
    { maxBuffer: 64 << 20 },
  )
  const frames: Buffer[] = []
  let start = 0
  for (let i = 2; i < out.length - 1; i++) {
    if (out[i] === 0xff && out[i + 1] === 0xd8) {
      frames.push(out.subarray(start, i))
      start = i
    }
  }
  frames.push(out.subarray(start))
  return frames
}

const push = (id: number, frame: Buffer) =>
  fetch(`${E2E_URL}/api/v1/stream/fast/${id}`, {
    method: 'POST',
    headers: { 'x-device-key': E2E_DEVICE_KEY, 'content-type': 'image/jpeg' },
    body: frame,
  }).catch(() => undefined)

test('an admin draws a zone and turns detection on; the tile shows motion while it lasts', async ({
  page,
}, info) => {
  const token = await adminToken()
  const name = `Motion yard ${Date.now() % 100000}`
  const created = await api<{ id: number }>('POST', '/api/cameras', token, {
    name,
    kind: 'push',
    enabled: true,
  })
  const id = created.data.id
  const moving = squareJpegs(40)
  const still = squareJpegs(40, true)
  let frames = still
  let i = 0
  const timer = setInterval(() => void push(id, frames[i++ % frames.length]!), 100)
  try {
    await signIn(page)
    await page.getByTestId('nav-admin').click()
    await shot(page, info, 'motion-admin-list')
    const row = page.getByTestId('camera-row').filter({ hasText: name })
    await row.getByTestId('camera-motion').click()
    const editor = page.getByTestId('motion-editor')
    await expect(editor.getByRole('img', { name: `${name} now` })).toBeVisible()
    await editor.getByTestId('motion-enabled').check()
    // A zone over the middle band of the picture: four corners, then close it.
    const surface = editor.getByTestId('motion-surface')
    const box = (await surface.boundingBox())!
    for (const [x, y] of [
      [0.05, 0.25],
      [0.95, 0.25],
      [0.95, 0.75],
      [0.05, 0.75],
    ] as const) {
      await surface.click({ position: { x: box.width * x, y: box.height * y } })
    }
    await editor.getByTestId('motion-close-polygon').click()
    await expect(editor.locator('polygon.motion-zone')).toHaveCount(1)
    await shot(page, info, 'motion-editor')
    await editor.getByTestId('motion-save').click()
    await expect(editor).toHaveCount(0)

    const saved = await api<{ enabled: boolean; zones: { points: { x: number; y: number }[] }[] }>(
      'GET',
      `/api/cameras/${id}/motion`,
      token,
    )
    expect(saved.data.enabled).toBe(true)
    expect(saved.data.zones).toHaveLength(1)
    expect(saved.data.zones[0]!.points).toHaveLength(4)
    expect(saved.data.zones[0]!.points[0]!.x).toBeCloseTo(0.05, 1)
    expect(saved.data.zones[0]!.points[2]!.y).toBeCloseTo(0.75, 1)

    await page.getByTestId('nav-cameras').click()
    const tile = page.locator(`[data-testid="camera-tile"][data-camera-id="${id}"]`)
    // Other specs share the station and add cameras: the newest may be on a later page of the grid.
    await page.getByTestId('layout-16').click()
    for (let p = 0; p < 10 && !(await tile.isVisible()); p++) {
      const next = page.getByRole('button', { name: 'Next ›' })
      if (!(await next.isEnabled().catch(() => false))) break
      await next.click()
    }
    await expect(tile).toBeVisible()
    await expect(tile.getByText('Motion', { exact: true })).toHaveCount(0)
    frames = moving
    await expect(tile.getByText('Motion', { exact: true })).toBeVisible({ timeout: 30_000 })
    await shot(page, info, 'motion-tile')
    frames = still
    await expect(tile.getByText('Motion', { exact: true })).toHaveCount(0, { timeout: 30_000 })
  } finally {
    clearInterval(timer)
    await api('DELETE', `/api/cameras/${id}`, token)
  }
})

/**
 * Playback in Debian's Chromium against the e2e station: two minutes of a camera recorded as the recorder
 * writes it (10 s fMP4 segments at keyframes, real ffmpeg H.264, their index rows; segment-fixture), then a
 * guard opens Playback, plays from a moment on the timeline across a segment boundary (the clock passes it,
 * the picture changes, the video does not stall), scrubs across another boundary, steps a frame, and
 * exports a range.
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { recordFixture } from '../src/main/recording/playback/segment-fixture.test-support'
import { adminToken, api, ensureGuard, expect, shot, signIn, test } from './fixtures'
import { E2E_DATA_DIR, E2E_GUARD } from './env'

/** 01:00 local time today: on the timeline's default day. */
const T0 = (() => {
  const d = new Date()
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), 1, 0, 0).getTime()
})()
let cameraId: number

test.beforeAll(async () => {
  await ensureGuard()
  const admin = await adminToken()
  const cam = await api<{ id: number }>('POST', '/api/cameras', admin, {
    name: `Yard ${Date.now() % 100_000}`,
    kind: 'push',
  })
  expect(cam.status).toBe(201)
  cameraId = cam.data.id
  const db = new Database(path.join(E2E_DATA_DIR, 'station.db'))
  try {
    db.pragma('busy_timeout = 5000')
    await recordFixture(db, E2E_DATA_DIR, cameraId, [{ start: T0, seconds: 120, width: 640, height: 360 }])
  } finally {
    db.close()
  }
})

/** The playhead's wall time, as the screen shows it (local time, to the millisecond). */
async function shownTime(page: Page): Promise<number> {
  const text = (await page.getByTestId('playback-time').textContent()) ?? ''
  const m = /(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+)\.(\d+)/.exec(text)
  if (!m) return NaN
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number)
  return new Date(y!, mo! - 1, d!, h!, mi!, s!, ms!).getTime()
}

interface VideoLike {
  currentTime: number
  paused: boolean
  seeking: boolean
  readyState: number
  buffered: { length: number; start(i: number): number; end(i: number): number }
  addEventListener(type: string, l: () => void): void
}
interface CanvasLike {
  width: number
  height: number
  getContext(kind: '2d'): {
    drawImage(v: VideoLike, x: number, y: number, w: number, h: number): void
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> }
  } | null
}

/** The video's playhead and a digest of its picture (the page's DOM types are not the spec's). */
const video = (page: Page) =>
  page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: { querySelector(s: string): VideoLike | null; createElement(t: 'canvas'): CanvasLike }
      }
    ).document
    const v = doc.querySelector('[data-testid=playback-video]')!
    const c = doc.createElement('canvas')
    c.width = 64
    c.height = 36
    const ctx = c.getContext('2d')!
    ctx.drawImage(v, 0, 0, 64, 36)
    const px = ctx.getImageData(0, 0, 64, 36).data
    let h = 0
    for (let i = 0; i < px.length; i += 7) h = (h * 31 + px[i]!) | 0
    const buffered: [number, number][] = []
    for (let i = 0; i < v.buffered.length; i++) buffered.push([v.buffered.start(i), v.buffered.end(i)])
    return {
      currentTime: v.currentTime,
      paused: v.paused,
      seeking: v.seeking,
      readyState: v.readyState,
      buffered,
      digest: h,
    }
  })

/** The buffered range of the video that holds media time `t`, if any. */
const rangeAt = (v: { buffered: [number, number][] }, t: number) =>
  v.buffered.find(([a, b]) => t >= a && t < b) ?? null

/**
 * A seek has landed: the tile is ready (a seek outside what is buffered keeps it loading until its time is
 * appended; until then the video still shows, and reports the readyState of, where it was) and the video
 * has a picture at its playhead.
 */
async function landed(page: Page): Promise<void> {
  await expect(page.getByTestId('playback-tile')).toHaveAttribute('data-state', 'ready')
  await expect
    .poll(async () => {
      const v = await video(page)
      return !v.seeking && v.readyState >= 2
    })
    .toBe(true)
}

/** From now on, the media times at which the video waited for data (stalled), in the page. */
const watchStalls = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as {
      document: { querySelector(s: string): VideoLike | null }
      __stalls?: number[]
    }
    const v = g.document.querySelector('[data-testid=playback-video]')!
    const stalls: number[] = (g.__stalls = [])
    v.addEventListener('waiting', () => stalls.push(v.currentTime))
  })
const stalls = (page: Page) => page.evaluate(() => (globalThis as unknown as { __stalls: number[] }).__stalls)

/** The x on the timeline of a wall time (from the window it shows). */
async function xOfTime(page: Page, wall: number): Promise<{ x: number; y: number }> {
  const tl = page.getByTestId('playback-timeline')
  const box = (await tl.boundingBox())!
  const from = Number(await tl.getAttribute('data-from'))
  const to = Number(await tl.getAttribute('data-to'))
  return { x: box.x + ((wall - from) / (to - from)) * box.width, y: box.y + 30 }
}

test('plays a recorded minute across segment boundaries, scrubs, steps and exports', async ({
  page,
}, info) => {
  await signIn(page, E2E_GUARD.username, E2E_GUARD.password)
  await page.getByTestId('nav-playback').click()
  await page.getByTestId(`playback-camera-${cameraId}`).check()
  // A day at a glance: the two recorded minutes are one range.
  await expect(page.getByTestId('timeline-range')).toHaveCount(1)

  // Zoom to ten minutes around the recording, then click 7 s into it.
  let at = await xOfTime(page, T0 + 60_000)
  await page.mouse.click(at.x, at.y)
  await page.getByRole('button', { name: '10 min' }).click()
  at = await xOfTime(page, T0 + 7000)
  await page.mouse.click(at.x, at.y)
  await landed(page)
  const shownBefore = await shownTime(page)
  expect(Math.abs(shownBefore - (T0 + 7000))).toBeLessThan(1500)

  // Play across the boundary at T0 + 10 s: its media time, from the playhead's (paused, the clock shows
  // exactly the video's time). What follows it is appended ahead (20 s) before it is played.
  const before = await video(page)
  const boundary = before.currentTime + (T0 + 10_000 - shownBefore) / 1000
  await expect
    .poll(async () => rangeAt(await video(page), before.currentTime)?.[1] ?? 0)
    .toBeGreaterThan(boundary + 2)
  await watchStalls(page)
  await page.getByTestId('play-toggle').click()
  await expect
    .poll(async () => (await video(page)).currentTime - before.currentTime, { timeout: 20_000 })
    .toBeGreaterThan(4)
  const after = await video(page)
  // No gap: one buffered range from where it started to where it is, across the boundary.
  expect(rangeAt(after, before.currentTime)).not.toBeNull()
  expect(rangeAt(after, before.currentTime)).toEqual(rangeAt(after, after.currentTime))
  // No stall: it never waited for data at the boundary, and is not waiting now.
  expect((await stalls(page)).filter((t) => Math.abs(t - boundary) < 0.5)).toEqual([])
  expect(after.paused).toBe(false)
  expect(after.readyState).toBeGreaterThanOrEqual(3)
  expect(after.digest).not.toBe(before.digest)
  await expect.poll(() => shownTime(page)).toBeGreaterThan(T0 + 11_000)
  await shot(page, info, 'playback-playing')

  // Pause and scrub across the boundary at T0 + 30 s: drag from 27 s to 33 s.
  await page.getByTestId('play-toggle').click()
  const a = await xOfTime(page, T0 + 27_000)
  const b = await xOfTime(page, T0 + 33_000)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  for (let i = 1; i <= 6; i++) await page.mouse.move(a.x + ((b.x - a.x) * i) / 6, a.y)
  await page.mouse.up()
  await expect.poll(async () => Math.abs((await shownTime(page)) - (T0 + 33_000))).toBeLessThan(1000)
  await landed(page)
  const scrubbed = await video(page)

  // A frame on: one frame (40 ms at 25 fps) later, another picture.
  const t1 = await shownTime(page)
  await page.getByTestId('step-forward').click()
  await expect.poll(() => shownTime(page)).toBeGreaterThan(t1 + 20)
  expect((await shownTime(page)) - t1).toBeLessThan(200)
  await expect.poll(async () => (await video(page)).digest).not.toBe(scrubbed.digest)

  // Play on from there at 4x: past the boundary at T0 + 40 s without stalling.
  await page.getByTestId('playback-speed').selectOption('4')
  await page.getByTestId('play-toggle').click()
  await expect.poll(() => shownTime(page), { timeout: 10_000 }).toBeGreaterThan(T0 + 42_000)
  await page.getByTestId('play-toggle').click()

  // Export 20 s across a boundary: I at 5 s, O at 25 s (set through the fields), then download.
  at = await xOfTime(page, T0 + 5000)
  await page.mouse.click(at.x, at.y)
  await expect.poll(async () => Math.abs((await shownTime(page)) - (T0 + 5000))).toBeLessThan(1000)
  await page.keyboard.press('i')
  at = await xOfTime(page, T0 + 25_000)
  await page.mouse.click(at.x, at.y)
  await expect.poll(async () => Math.abs((await shownTime(page)) - (T0 + 25_000))).toBeLessThan(1000)
  await page.keyboard.press('o')
  await expect(page.getByTestId('export-range')).toBeVisible()
  await page.getByTestId(`export-start-${cameraId}`).click()
  await expect(page.getByTestId('export-job')).toHaveAttribute('data-state', 'done')
  const download = page.waitForEvent('download')
  await page.getByTestId('export-download').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^Yard-\d+_\d{4}-\d\d-\d\d_\d{6}-\d{6}\.mp4$/)
  await shot(page, info, 'playback-exported')
})

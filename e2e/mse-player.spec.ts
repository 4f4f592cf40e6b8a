/**
 * The MSE player (src/renderer/src/video/mse) in Debian's Chromium against a stand-in for the station's
 * fMP4 endpoint (e2e/mse/fmp4-server.ts: real ffmpeg H.264, one fragment per frame): live playback near the
 * edge, the "cannot be decoded here" status for H.265, release and reconnect around a hidden tile, the
 * station's error messages and fallback mode, the `hevc=1` query, and a fresh token after a refused one.
 * Needs no station: the test server serves its own page.
 */
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { H265_CODEC, startFmp4Server, type Fmp4TestServer } from './mse/fmp4-server'

/** What the page's harness reports (the player's own types are DOM types, checked with the renderer). */
interface TileState {
  status: {
    player: { mode: string; codec: string | null; message: string | null }
    socket: string
    paused: boolean
    stream: string | null
    mode: string | null
    size: { width: number; height: number } | null
    error: string | null
    closed: { code: number; reason: string } | null
    retryAt: number | null
  }
  stats: {
    framesAppended: number
    bytesAppended: number
    framesDropped: number
    latencyS: number | null
    bufferedS: number
    jumps: number
    quotaErrors: number
    decodedFrames: number | null
    width: number
    height: number
  }
  currentTime: number
  src: string | null
  bufferedStart: number | null
}

let server: Fmp4TestServer

test.beforeAll(async () => {
  server = await startFmp4Server()
})
test.afterAll(async () => {
  await server?.close()
})

async function openTile(
  page: Page,
  cameraId: number,
  player: object = {},
  opts: { tokens?: boolean; hevc?: boolean } = {},
): Promise<void> {
  await page.goto(server.url)
  // Polled from here (page.evaluate): the page's CSP forbids the eval a string waitForFunction needs.
  await expect.poll(() => page.evaluate('window.harnessReady === true')).toBe(true)
  await page.evaluate(`harness.start(${cameraId}, ${JSON.stringify(player)}, ${JSON.stringify(opts)})`)
}

const state = (page: Page) => page.evaluate('harness.state()') as Promise<TileState>
const digest = (page: Page) => page.evaluate('harness.digest()') as Promise<number>

async function expectPlaying(page: Page): Promise<void> {
  await expect.poll(async () => (await state(page)).status.player.mode).toBe('playing')
  const t0 = (await state(page)).currentTime
  await expect.poll(async () => (await state(page)).currentTime).toBeGreaterThan(t0 + 0.5)
}

test('plays a live H.264 stream near the live edge', async ({ page }) => {
  await openTile(page, 1)
  await expectPlaying(page)
  const s = await state(page)
  expect(s.status.player.codec).toMatch(/^avc1\.42[0-9a-f]{4}$/)
  expect(s.status).toMatchObject({
    socket: 'open',
    stream: 'main',
    mode: 'direct',
    size: { width: 640, height: 360 },
  })
  expect(s.stats).toMatchObject({ width: 640, height: 360 })

  // The picture moves: two draws of the video onto a canvas differ.
  const first = await digest(page)
  await expect.poll(() => digest(page)).not.toBe(first)
  const second = await digest(page)
  await expect.poll(() => digest(page)).not.toBe(second)

  // Three seconds of latency samples, all under a second behind the buffered end.
  await page.evaluate('harness.sampleLatency()')
  const samples = () => page.evaluate('harness.latency()') as Promise<(number | null)[]>
  await expect.poll(async () => (await samples()).length).toBeGreaterThanOrEqual(30)
  const latency = await samples()
  expect(latency.every((l) => l !== null && l < 1)).toBe(true)

  const after = await state(page)
  expect(after.stats.framesAppended).toBeGreaterThan(50)
  expect(after.stats.bytesAppended).toBeGreaterThan(0)
  expect(after.stats.decodedFrames).toBeGreaterThan(0)
  console.log(
    `mse: ${after.stats.framesAppended} frames appended, ${after.stats.framesDropped} dropped, latency max ` +
      `${Math.max(...latency.map(Number)).toFixed(3)} s`,
  )
})

test('after the page was busy for 2 s, the player is back at the live edge', async ({ page }) => {
  await openTile(page, 1)
  await expectPlaying(page)
  const before = (await state(page)).stats.jumps
  await page.evaluate('harness.block(2000)')
  // The playhead was moved (Chromium alone would stay 2 s behind) and is near the edge again.
  await expect
    .poll(async () => {
      const { stats } = await state(page)
      return { jumped: stats.jumps > before, near: stats.latencyS !== null && stats.latencyS < 0.5 }
    })
    .toEqual({ jumped: true, near: true })
  await expectPlaying(page)
  const { stats } = await state(page)
  console.log(`mse after a busy page: ${stats.framesDropped} frames dropped, ${stats.jumps} jumps`)
})

test('a full buffer (QuotaExceededError) is trimmed and the append retried', async ({ page }) => {
  await openTile(page, 1)
  await page.evaluate('harness.failAppendOnce(100)')
  await expect.poll(async () => (await state(page)).stats.quotaErrors).toBe(1)
  await expectPlaying(page)
  const { stats } = await state(page)
  expect(stats.framesDropped).toBe(0)
})

test('what is more than keepBehindS behind the playhead is removed', async ({ page }) => {
  // 2 s kept (10 by default), trimmed once 1 s more is there: quick to see.
  await openTile(page, 1, { keepBehindS: 2, trimSlackS: 1 })
  await expectPlaying(page)
  await expect.poll(async () => (await state(page)).currentTime, { timeout: 20_000 }).toBeGreaterThan(5)
  const s = await state(page)
  // Kept: 2 to 3 s behind (a remove reaches on to the next keyframe), and what is ahead of the playhead.
  expect(s.bufferedStart).toBeGreaterThan(0)
  expect(s.stats.bufferedS).toBeLessThan(3 + (s.stats.latencyS ?? 0) + 0.1)
})

test('an H.265 camera says it cannot be decoded here, and its socket closes', async ({ page }) => {
  await openTile(page, 2)
  // The premise: this Chromium has no H.265 through MSE.
  expect(await page.evaluate(`harness.canPlay(${JSON.stringify(H265_CODEC)})`)).toBe(false)
  await expect.poll(async () => (await state(page)).status.player.mode).toBe('unsupported')
  const s = await state(page)
  expect(s.status.player.message).toBe("this camera's codec (H.265) cannot be decoded here")
  expect(s.status.socket).toBe('closed')
  expect(s.src).toBeNull()
  await expect.poll(() => server.open(2)).toBe(0)
})

test('a hidden tile or window closes its socket and releases its video; shown again, it plays on', async ({
  page,
}) => {
  await openTile(page, 1)
  await expectPlaying(page)
  expect(server.open(1)).toBe(1)
  expect((await state(page)).src).toMatch(/^blob:/)

  await page.evaluate('harness.setHidden(true)')
  await expect.poll(() => server.open(1)).toBe(0)
  const hidden = await state(page)
  expect(hidden.status).toMatchObject({ paused: true, socket: 'closed', player: { mode: 'paused' } })
  expect(hidden.src).toBeNull()

  await page.evaluate('harness.setHidden(false)')
  await expect.poll(() => server.open(1)).toBe(1)
  await expectPlaying(page)

  // The window minimised, then restored.
  await page.evaluate('harness.setPageHidden(true)')
  await expect.poll(() => server.open(1)).toBe(0)
  expect((await state(page)).status.player.mode).toBe('paused')
  await page.evaluate('harness.setPageHidden(false)')
  await expect.poll(() => server.open(1)).toBe(1)
  await expectPlaying(page)
  expect((await state(page)).stats).toMatchObject({ width: 640, height: 360 })
})

test("the station's error message and close code reach the caller", async ({ page }) => {
  await openTile(page, 3)
  await expect
    .poll(async () => {
      const s = (await state(page)).status
      return { error: s.error, code: s.closed?.code, retrying: s.retryAt !== null }
    })
    .toEqual({ error: 'camera offline', code: 4404, retrying: true })
})

test("the station's fallback mode reaches the caller", async ({ page }) => {
  await openTile(page, 4)
  await expectPlaying(page)
  expect((await state(page)).status).toMatchObject({ stream: 'sub', mode: 'sub' })
})

test('asks for H.265 as is (hevc=1) only where the page decodes it', async ({ page }) => {
  // Debian's Chromium decodes no H.265 through MSE: no flag.
  await openTile(page, 1)
  await expect.poll(() => server.queries(1).length).toBeGreaterThan(0)
  expect(new URLSearchParams(server.queries(1).at(-1)).get('stream')).toBe('main')
  expect(new URLSearchParams(server.queries(1).at(-1)).has('hevc')).toBe(false)
  // Where it does (forced here), the flag goes along.
  await openTile(page, 1, {}, { hevc: true })
  await expect.poll(() => new URLSearchParams(server.queries(1).at(-1)).get('hevc')).toBe('1')
})

test('a token the station refused is handed back, and the retry gets a fresh one', async ({ page }) => {
  await openTile(page, 5, {}, { tokens: true })
  await expectPlaying(page)
  const tokens = server.queries(5).map((q) => new URLSearchParams(q).get('token'))
  expect(tokens).toEqual(['stale-token', 'fresh-token'])
  expect(await page.evaluate('harness.tokenCalls()')).toEqual([null, 'stale-token'])
})

/**
 * UI measurements in Chromium against the station and the simulators (`npm run bench:ui`; one of them:
 * `npm run bench:ui -- -g chart`). They print figures and assert nothing:
 * - the camera wall: first screen interactive, then 16 push cameras at 25 fps in the 16-tile grid for
 *   30 s: long tasks (over 50 ms), the rate each tile draws, where the main thread spends its time;
 * - a sensor chart holding 10,000 points per series, updated 10 times a second for 20 s: long tasks and
 *   animation frames.
 * The machine's load average is printed with each figure (other work on the machine skews them).
 */
import { loadavg } from 'node:os'
import type { Browser, Page } from '@playwright/test'
import { startSimulator } from '../src/main/simulator/simulator'
import { startSimulatedCameras } from '../src/main/video/sim'
import { E2E_DEVICE_KEY, E2E_URL } from './env'
import type { VideoStats } from '../src/shared/schemas/video'
import { adminToken, api, expect, signIn, test } from './fixtures'
import { formatSummary, summarizeTrace } from './trace-summary'

const CAMERAS = Number(process.env.BENCH_CAMERAS ?? 16)
const FPS = Number(process.env.BENCH_FPS ?? 25)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
const CHART_POINTS = Number(process.env.BENCH_CHART_POINTS ?? 10_000)
const CHART_SECONDS = Number(process.env.BENCH_CHART_SECONDS ?? 20)
const TRACE_SECONDS = 5
/** `page`: draw video on the page's main thread (as before the video worker), to compare. */
const VIDEO_ON_PAGE = process.env.BENCH_VIDEO === 'page'
/** `blob`: decode through Blobs and createImageBitmap instead of ImageDecoder (with BENCH_VIDEO=page only). */
const DECODE_BLOBS = process.env.BENCH_DECODE === 'blob'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`

interface PageFigures {
  longTasks: number[]
  frames: number
  maxFrameGapMs: number
}

/**
 * Starts counting long tasks in the page, and with `frames` its animation frames too (a frame loop of
 * its own: left out where it would add work to what is measured).
 */
async function observe(page: Page, frames: boolean): Promise<() => Promise<PageFigures>> {
  await page.evaluate((frames) => {
    const g = globalThis as unknown as {
      __bench: PageFigures & { last: number; on: boolean }
      performance: { now(): number }
      requestAnimationFrame(cb: (t: number) => void): number
      PerformanceObserver: new (cb: (l: { getEntries(): { duration: number }[] }) => void) => {
        observe(o: object): void
      }
    }
    const b: PageFigures & { last: number; on: boolean } = {
      longTasks: [],
      frames: 0,
      maxFrameGapMs: 0,
      last: g.performance.now(),
      on: true,
    }
    g.__bench = b
    new g.PerformanceObserver((l) => {
      for (const e of l.getEntries()) b.longTasks.push(e.duration)
    }).observe({ type: 'longtask', buffered: false })
    const frame = (t: number) => {
      if (!b.on) return
      b.frames++
      b.maxFrameGapMs = Math.max(b.maxFrameGapMs, t - b.last)
      b.last = t
      g.requestAnimationFrame(frame)
    }
    if (frames) g.requestAnimationFrame(frame)
  }, frames)
  return () =>
    page.evaluate(() => {
      const b = (globalThis as unknown as { __bench: PageFigures & { on: boolean } }).__bench
      b.on = false
      return { longTasks: b.longTasks, frames: b.frames, maxFrameGapMs: b.maxFrameGapMs }
    })
}

const longTaskLine = (f: PageFigures, seconds: number) =>
  `long tasks (>50 ms) in ${seconds} s: ${f.longTasks.length}, longest ${Math.max(0, ...f.longTasks).toFixed(0)} ms, ` +
  `total ${f.longTasks.reduce((a, b) => a + b, 0).toFixed(0)} ms`

/** Where the renderer's threads spend their time over a few seconds of trace. */
async function traceSummary(browser: Browser, page: Page): Promise<string[]> {
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink', 'cc'],
  })
  await page.waitForTimeout(TRACE_SECONDS * 1000)
  const json = (await browser.stopTracing()).toString('utf8')
  return formatSummary(summarizeTrace(json), TRACE_SECONDS)
}

test(`camera wall: ${CAMERAS} cameras at ${FPS} fps`, async ({ page, browser }) => {
  const sim = await startSimulatedCameras({
    stationUrl: E2E_URL,
    adminToken: await adminToken(),
    deviceKey: E2E_DEVICE_KEY,
    cameras: CAMERAS,
    fps: FPS,
    kinds: ['push'],
    namePrefix: 'Bench cam',
    transport: 'ws',
  })
  try {
    if (VIDEO_ON_PAGE)
      await page.addInitScript(() => {
        const proto = (globalThis as unknown as { HTMLCanvasElement: { prototype: object } })
          .HTMLCanvasElement.prototype
        delete (proto as { transferControlToOffscreen?: unknown }).transferControlToOffscreen
      })
    if (DECODE_BLOBS)
      await page.addInitScript(() => {
        delete (globalThis as { ImageDecoder?: unknown }).ImageDecoder
      })
    const t0 = Date.now()
    await page.goto('/')
    await page.getByTestId('login-username').waitFor()
    const firstScreenMs = Date.now() - t0
    await signIn(page)
    await page.keyboard.press('4')
    await page.waitForTimeout(5000)
    const collect = await observe(page, false)
    const loadBefore = load()
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.start')
    const rates: number[] = []
    for (let s = 0; s < SECONDS; s += 5) {
      await page.waitForTimeout(5000)
      const texts = await page
        .locator('[data-testid="camera-tile"] .tile-bottom span:first-child')
        .allTextContents()
      rates.push(...texts.map((t) => Number.parseInt(t, 10)).filter((n) => Number.isFinite(n)))
    }
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }
    }
    const figures = await collect()
    const loadAfter = load()
    const trace = await traceSummary(browser, page)
    const relay = await api<VideoStats>('GET', '/api/v1/stream/stats', await adminToken())
    const bench = relay.data.cameras.filter((c) => c.name.startsWith('Bench cam'))
    const sentPerTile = bench.reduce((a, c) => a + c.fpsOut.reduced, 0) / Math.max(1, bench.length)
    const self = new Map<number, number>()
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
    const byName = new Map<string, number>()
    for (const n of profile.nodes) {
      const k = n.callFrame.functionName || '(anonymous)'
      byName.set(k, (byName.get(k) ?? 0) + (self.get(n.id) ?? 0))
    }
    rates.sort((a, b) => a - b)
    const median = rates[Math.floor(rates.length / 2)] ?? 0
    console.log(
      [
        `first screen interactive: ${firstScreenMs} ms`,
        `tiles: ${CAMERAS} cameras at ${FPS} fps, grid requests 5 fps, video drawn ${VIDEO_ON_PAGE ? 'on the page' : 'in the video worker'}` +
          `${DECODE_BLOBS ? ' (Blob decode)' : ''}; station sends ${sentPerTile.toFixed(1)} fps per tile; drawn fps per tile: median ${median}, min ${rates[0] ?? 0}`,
        longTaskLine(figures, SECONDS),
        `${load()} (before ${loadBefore}, after ${loadAfter})`,
        'main thread, JS profile self time (ms):',
        ...[...byName]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([k, v]) => `  ${k}: ${(v / 1000).toFixed(0)}`),
        `trace of ${TRACE_SECONDS} s, self time per event:`,
        ...trace,
        `simulator: ${JSON.stringify(sim.stats().push)}`,
      ].join('\n'),
    )
  } finally {
    await sim.stop()
  }
})

test(`sensor chart: ${CHART_POINTS} points per series, 10 updates a second`, async ({ page, browser }) => {
  // One device, one sensor, 10 readings a second: the chart's live updates, through the station.
  const sim = startSimulator({
    url: E2E_URL,
    key: E2E_DEVICE_KEY,
    devices: 1,
    sensors: 1,
    rate: 10,
    prefix: `bench-chart-${Date.now() % 100000}-`,
    heartbeatMs: 2000,
  })
  try {
    await sim.ready()
    const deviceId = sim.deviceIds[0]!
    // The history: the station buckets a range to about 1,500 points; this measures the chart at the
    // 10,000 points per series the issue asks for, so the answer is made here (the last 4.5 minutes).
    await page.route(`**/api/v1/devices/${deviceId}/readings?*`, async (route) => {
      const now = Date.now()
      const step = 270_000 / CHART_POINTS
      const buckets = Array.from({ length: CHART_POINTS }, (_, i) => {
        const ts = Math.round(now - 275_000 + i * step)
        const avg = 20 + 5 * Math.sin(i / 300) + Math.random()
        return { ts, avg, min: avg - 0.5, max: avg + 0.5, count: 3 }
      })
      await route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ success: true, data: { total: CHART_POINTS, buckets, bucketMs: step } }),
      })
    })
    // Live readings the page receives (frames on /ws/live).
    let received = 0
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/ws/live')) return
      ws.on('framereceived', (f) => {
        if (typeof f.payload === 'string' && f.payload.includes('"type":"reading"')) received++
      })
    })
    await signIn(page)
    await page.getByTestId('nav-sensors').click()
    await page.getByTestId('device-item').filter({ hasText: deviceId }).click()
    await page.getByRole('button', { name: '5 min' }).click()
    const chart = page.getByTestId('sensor-chart')
    await expect(chart).toHaveCount(1)
    await expect(chart).toContainText(`${CHART_POINTS.toLocaleString('en-US')} readings in range`)
    await page.waitForTimeout(2000)
    const collect = await observe(page, true)
    const loadBefore = load()
    const before = received
    await page.waitForTimeout(CHART_SECONDS * 1000)
    const figures = await collect()
    const updates = (received - before) / CHART_SECONDS
    const trace = await traceSummary(browser, page)
    console.log(
      [
        `sensor chart: ${CHART_POINTS} points per series (3 series), ${updates.toFixed(1)} live readings/s for ${CHART_SECONDS} s`,
        longTaskLine(figures, CHART_SECONDS),
        `animation frames: ${(figures.frames / CHART_SECONDS).toFixed(1)}/s, longest gap ${figures.maxFrameGapMs.toFixed(0)} ms`,
        `${load()} (before ${loadBefore})`,
        `trace of ${TRACE_SECONDS} s, self time per event:`,
        ...trace,
      ].join('\n'),
    )
  } finally {
    await sim.stop()
  }
})

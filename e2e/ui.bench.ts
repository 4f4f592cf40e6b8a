/**
 * Measures the camera wall in Chromium against the simulator: first screen interactive, then a 16-tile
 * grid of 16 push cameras at 25 fps for 30 s: long tasks (over 50 ms), the rate each tile draws, and
 * where the page's main thread spends its time. Prints figures; asserts nothing.
 */
import { startSimulatedCameras } from '../src/main/video/sim'
import { E2E_DEVICE_KEY, E2E_URL } from './env'
import { adminToken, signIn, test } from './fixtures'

const CAMERAS = Number(process.env.BENCH_CAMERAS ?? 16)
const FPS = Number(process.env.BENCH_FPS ?? 25)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

test(`camera wall: ${CAMERAS} cameras at ${FPS} fps`, async ({ page }) => {
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
    const t0 = Date.now()
    await page.goto('/')
    await page.getByTestId('login-username').waitFor()
    const firstScreenMs = Date.now() - t0
    await signIn(page)
    await page.keyboard.press('4')
    await page.waitForTimeout(5000)
    await page.evaluate(() => {
      const g = globalThis as unknown as {
        __long: number[]
        PerformanceObserver: new (cb: (l: { getEntries(): { duration: number }[] }) => void) => {
          observe(o: object): void
        }
      }
      g.__long = []
      new g.PerformanceObserver((l) => {
        for (const e of l.getEntries()) g.__long.push(e.duration)
      }).observe({ type: 'longtask', buffered: false })
    })
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
    const longs = await page.evaluate(() => (globalThis as unknown as { __long: number[] }).__long)
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
        `tiles: ${CAMERAS} cameras at ${FPS} fps, grid requests 5 fps; drawn fps per tile: median ${median}, min ${rates[0] ?? 0}`,
        `long tasks (>50 ms) in ${SECONDS} s: ${longs.length}, longest ${Math.max(0, ...longs).toFixed(0)} ms`,
        'main thread, self time (ms):',
        ...[...byName]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([k, v]) => `  ${k}: ${(v / 1000).toFixed(0)}`),
        `simulator: ${JSON.stringify(sim.stats().push)}`,
      ].join('\n'),
    )
  } finally {
    await sim.stop()
  }
})

/**
 * The video-rtsp benchmark in Debian's Chromium (headless, through playwright-core; no downloaded
 * browser): bench/rtsp/page.js, bundled with Vite, is served at the station's own origin (Playwright
 * answers `/__bench/*` itself; the page's WebSocket and token requests reach the station), and plays
 * cameras with the renderer's MSE player. It times the first presented frame and reads the frame number
 * burnt into each presented frame, for glass-to-glass latency against the RTSP server's emission times.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { build } from 'vite'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

async function bundlePage(): Promise<string> {
  const out = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: { entry: join(here, 'page.js'), formats: ['es'], fileName: 'page' },
    },
  })
  const first = (Array.isArray(out) ? out[0] : out) as { output?: { type: string; code?: string }[] }
  const chunk = first.output?.find((o) => o.type === 'chunk')
  if (!chunk?.code) throw new Error('vite produced no bundle')
  return chunk.code
}

export interface BenchPage {
  firstFrameMs(cameraId: number): Promise<number>
  startLatency(cameraId: number): Promise<void>
  /** [frame code or null, display time in epoch ms] of each frame presented since the last call. */
  takeSamples(): Promise<[number | null, number][]>
  stats(): Promise<{ framesDropped: number; decodedFrames: number | null; jumps: number } | null>
  stopLatency(): Promise<void>
  /** The page's last console errors and warnings (for a failure's explanation). */
  problems(): string[]
  close(): Promise<void>
}

export async function openBenchPage(o: {
  stationUrl: string
  guardToken: string
  width: number
  height: number
}): Promise<BenchPage> {
  const [script, html] = [await bundlePage(), readFileSync(join(here, 'page.html'), 'utf8')]
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      // The page is answered by Playwright, not from 127.0.0.1, so Chromium would count it as a public
      // page reaching into the local network and block its WebSocket to the station.
      '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests',
    ],
  })
  try {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() !== 'error' && m.type() !== 'warning') return
      problems.push(m.text().slice(0, 300))
      if (problems.length > 10) problems.shift()
    })
    await page.route(`${o.stationUrl}/__bench/**`, (route) => {
      const path = new URL(route.request().url()).pathname
      if (path === '/__bench/page.js')
        return route.fulfill({ status: 200, contentType: 'text/javascript', body: script })
      if (path === '/__bench/page.html')
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
      return route.fulfill({ status: 404, body: '' })
    })
    await page.goto(`${o.stationUrl}/__bench/page.html`)
    const until = Date.now() + 15_000
    while (!(await page.evaluate('window.benchReady === true'))) {
      if (Date.now() > until) throw new Error('the benchmark page did not load')
      await new Promise((r) => setTimeout(r, 100))
    }
    const { guardToken, width, height } = o
    await page.evaluate(`bench.setup(${JSON.stringify({ guardToken, width, height })})`)
    return {
      firstFrameMs: (id) => page.evaluate(`bench.firstFrame(${id}, 10000)`) as Promise<number>,
      startLatency: async (id) => {
        await page.evaluate(`bench.startLatency(${id})`)
      },
      takeSamples: () => page.evaluate('bench.takeSamples()') as Promise<[number | null, number][]>,
      stats: () => page.evaluate('bench.stats()') as ReturnType<BenchPage['stats']>,
      stopLatency: async () => {
        await page.evaluate('bench.stop()')
      },
      problems: () => [...problems],
      close: () => browser.close(),
    }
  } catch (err) {
    await browser.close()
    throw err
  }
}

/**
 * A stand-in for the station's fMP4 viewer endpoint, for the MSE player's browser test: an HTTP server on
 * 127.0.0.1 serving a test page (under the renderer's CSP) and the player module (bundled with Vite from
 * src/renderer/src/video/mse),
 * and `/ws/stream/:id` speaking the station's protocol (src/shared/schemas/fmp4-stream.ts):
 * - camera 1: real ffmpeg (`-re`, testsrc2, libx264 baseline, zerolatency, one fragment per frame), its
 *   output split into the init segment and fragments with the player's own box reader; the text init
 *   first, its codec string read from the avcC box;
 * - camera 2: announces H.265 (`hvc1`), which Debian's Chromium cannot decode, and sends nothing else;
 * - camera 3: an `error` message, then a close with code 4404;
 * - camera 4: as camera 1, announced as the H.264 sub stream the station fell back to (`mode: 'sub'`);
 * - camera 5: as camera 1, but the upgrade is refused (401) for the token `stale-token`.
 * Every upgrade's query is recorded (`queries`).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { WebSocketServer, type WebSocket } from 'ws'
import { metaCsp } from '../../src/main/electron/csp'
import type { Fmp4InitMessage } from '../../src/shared/schemas/fmp4-stream'
import { readBoxHeader } from '../../src/renderer/src/video/mse/boxes'
import { parseInit } from '../../src/renderer/src/video/mse/fmp4-info'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')

export const H265_CODEC = 'hvc1.1.6.L93.B0'

export interface Fmp4TestServer {
  url: string
  /** Open viewer sockets for a camera. */
  open(cameraId: number): number
  /** The query strings of every upgrade asked for a camera, in order. */
  queries(cameraId: number): string[]
  close(): Promise<void>
}

/** The player module as one ES module, the way the renderer's build would compile it. */
async function bundlePlayer(): Promise<string> {
  const out = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: { entry: join(root, 'src/renderer/src/video/mse/index.ts'), formats: ['es'], fileName: 'mse' },
    },
  })
  const first = (Array.isArray(out) ? out[0] : out) as { output?: { type: string; code?: string }[] }
  const chunk = first.output?.find((o) => o.type === 'chunk')
  if (!chunk?.code) throw new Error('vite produced no bundle')
  return chunk.code
}

/** Splits a byte stream into top-level boxes, then into init segments (ftyp+moov) and fragments (moof+mdat). */
export class Fmp4Splitter {
  private buf: Buffer = Buffer.alloc(0)
  private pending: Buffer[] = []

  push(chunk: Buffer): { kind: 'init' | 'fragment'; bytes: Buffer }[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
    const out: { kind: 'init' | 'fragment'; bytes: Buffer }[] = []
    for (;;) {
      const b = readBoxHeader(this.buf, 0, Infinity)
      if (!b || b.end > this.buf.length) break
      const box = this.buf.subarray(0, b.end)
      this.buf = this.buf.subarray(b.end)
      if (b.type === 'ftyp' || b.type === 'moof') this.pending = [box]
      else if (b.type === 'moov' || b.type === 'mdat') {
        out.push({
          kind: b.type === 'moov' ? 'init' : 'fragment',
          bytes: Buffer.concat([...this.pending, box]),
        })
        this.pending = []
      }
    }
    return out
  }
}

function ffmpegLive(): ChildProcess {
  return spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25'],
      ...['-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast', '-tune', 'zerolatency'],
      ...['-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', '-f', 'mp4', '-flush_packets', '1'],
      ...['-movflags', 'frag_every_frame+empty_moov+default_base_moof', 'pipe:1'],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
}

function relayFfmpeg(
  ws: WebSocket,
  children: Set<ChildProcess>,
  announce: Pick<Fmp4InitMessage, 'stream' | 'mode'> = { stream: 'main' },
): void {
  const ff = ffmpegLive()
  children.add(ff)
  const split = new Fmp4Splitter()
  ff.stdout!.on('data', (chunk: Buffer) => {
    for (const seg of split.push(chunk)) {
      if (ws.readyState !== ws.OPEN) return
      if (seg.kind === 'init') {
        const video = parseInit(seg.bytes)?.video
        const init: Fmp4InitMessage = {
          type: 'init',
          codec: video?.codec ?? 'unknown',
          ...announce,
          ...(video?.width && video.height ? { width: video.width, height: video.height } : {}),
        }
        ws.send(JSON.stringify(init))
      }
      ws.send(seg.bytes)
    }
  })
  const stop = () => {
    ff.kill('SIGKILL')
    children.delete(ff)
  }
  ff.on('exit', () => children.delete(ff))
  ws.on('close', stop)
}

export async function startFmp4Server(): Promise<Fmp4TestServer> {
  const page = readFileSync(join(here, 'player-page.html'), 'utf8')
  const harness = readFileSync(join(here, 'harness.js'), 'utf8')
  // The page runs under the renderer's own policy, so what the app's CSP forbids fails here too.
  const csp = metaCsp(readFileSync(join(root, 'src/renderer/index.html'), 'utf8'))
  if (!csp) throw new Error('src/renderer/index.html has no CSP')
  const bundle = await bundlePlayer()
  const children = new Set<ChildProcess>()
  const sockets = new Map<number, Set<WebSocket>>()
  const queries = new Map<number, string[]>()

  const http: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const js = { 'content-type': 'text/javascript' }
    if (path === '/')
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp })
        .end(page)
    else if (path === '/harness.js') res.writeHead(200, js).end(harness)
    else if (path === '/mse.js') res.writeHead(200, js).end(bundle)
    else res.writeHead(404).end()
  })
  const wss = new WebSocketServer({ noServer: true })
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const m = /^\/ws\/stream\/(\d+)$/.exec(url.pathname)
    if (!m) return socket.destroy()
    const id = Number(m[1])
    queries.set(id, [...(queries.get(id) ?? []), url.search])
    if (id === 5 && url.searchParams.get('token') === 'stale-token') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const set = sockets.get(id) ?? new Set<WebSocket>()
      sockets.set(id, set.add(ws))
      ws.on('close', () => set.delete(ws))
      if (id === 1 || id === 5) relayFfmpeg(ws, children)
      else if (id === 4) relayFfmpeg(ws, children, { stream: 'sub', mode: 'sub' })
      else if (id === 2) ws.send(JSON.stringify({ type: 'init', codec: H265_CODEC, stream: 'sub' }))
      else {
        ws.send(JSON.stringify({ type: 'error', reason: 'camera offline' }))
        ws.close(4404, 'no such camera')
      }
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    open: (id) => sockets.get(id)?.size ?? 0,
    queries: (id) => queries.get(id) ?? [],
    async close() {
      for (const ff of children) ff.kill('SIGKILL')
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}

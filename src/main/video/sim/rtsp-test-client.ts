/**
 * Test code only: a raw RTSP client over one TCP socket, to see exactly what the simulated server sends
 * (every response, every RTP packet's header and NAL types), to play without reading (a stalled viewer),
 * and to run ffmpeg/ffprobe against the server (argument arrays, bounded by a timeout).
 */
import { execFile } from 'node:child_process'
import net from 'node:net'
import { RtspReader, type RtspResponse } from './rtsp-messages'
import { FU_A } from './rtp-packetizer'

export interface ReceivedFrame {
  timestamp: number
  /** NAL types in the frame, in order (FU-A fragments count once, at their start). */
  nalTypes: number[]
  packets: number
}

export class RawRtspClient {
  readonly responses: RtspResponse[] = []
  readonly frames: ReceivedFrame[] = []
  packets = 0
  rtcpPackets = 0
  /** Packets whose sequence number did not follow the previous one. */
  seqGaps = 0
  firstSeq: number | undefined
  closed = false
  session: string | undefined
  private cseq = 0
  private lastSeq: number | undefined
  private current: ReceivedFrame | undefined
  private readonly waiting = new Map<number, (r: RtspResponse) => void>()

  private constructor(
    readonly socket: net.Socket,
    readonly url: string,
  ) {
    const reader = new RtspReader({
      request: () => undefined,
      response: (r) => {
        this.responses.push(r)
        const cseq = Number(r.headers.get('cseq'))
        this.waiting.get(cseq)?.(r)
        this.waiting.delete(cseq)
      },
      interleaved: (channel, data) => (channel % 2 === 0 ? this.onRtp(data) : this.rtcpPackets++),
      error: (m) => socket.destroy(new Error(m)),
    })
    socket.on('data', (c: Buffer) => reader.push(c))
    socket.on('close', () => (this.closed = true))
    socket.on('error', () => undefined)
  }

  static connect(url: string): Promise<RawRtspClient> {
    const u = new URL(url)
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(u.port), u.hostname, () => resolve(new RawRtspClient(socket, url)))
      socket.once('error', reject)
    })
  }

  /** Sends a request and resolves with its response. */
  request(method: string, uri = this.url, headers: Record<string, string> = {}): Promise<RtspResponse> {
    const cseq = ++this.cseq
    const lines = [`${method} ${uri} RTSP/1.0`, `CSeq: ${cseq}`]
    if (this.session && !headers.Session) lines.push(`Session: ${this.session}`)
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`)
    return new Promise((resolve, reject) => {
      const closed = () => reject(new Error(`connection closed before the ${method} answer`))
      this.waiting.set(cseq, (r) => {
        this.socket.off('close', closed)
        resolve(r)
      })
      this.socket.once('close', closed)
      this.socket.write(lines.join('\r\n') + '\r\n\r\n')
    })
  }

  /** DESCRIBE, SETUP (TCP interleaved), then PLAY; `stallAfterPlay` stops reading right after sending it. */
  async play(
    opts: { stallAfterPlay?: boolean; headers?: Record<string, string> } = {},
  ): Promise<RtspResponse> {
    const h = opts.headers ?? {}
    const d = await this.request('DESCRIBE', this.url, { Accept: 'application/sdp', ...h })
    if (d.status !== 200) return d
    const base = d.headers.get('content-base') ?? `${this.url}/`
    const s = await this.request('SETUP', `${base}trackID=0`, {
      Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1',
      ...h,
    })
    if (s.status !== 200) return s
    this.session = s.headers.get('session')?.split(';')[0]
    if (opts.stallAfterPlay) {
      this.socket.write(`PLAY ${base} RTSP/1.0\r\nCSeq: ${++this.cseq}\r\nSession: ${this.session}\r\n\r\n`)
      this.socket.pause()
      return s
    }
    return this.request('PLAY', base, h)
  }

  private onRtp(data: Buffer): void {
    this.packets++
    const seq = data.readUInt16BE(2)
    const timestamp = data.readUInt32BE(4)
    const marker = (data[1]! & 0x80) !== 0
    this.firstSeq ??= seq
    if (this.lastSeq !== undefined && seq !== ((this.lastSeq + 1) & 0xffff)) this.seqGaps++
    this.lastSeq = seq
    const payload = data.subarray(12)
    const type = payload[0]! & 0x1f
    this.current ??= { timestamp, nalTypes: [], packets: 0 }
    this.current.packets++
    if (type === FU_A) {
      if (payload[1]! & 0x80) this.current.nalTypes.push(payload[1]! & 0x1f)
    } else {
      this.current.nalTypes.push(type)
    }
    if (marker) {
      this.frames.push(this.current)
      this.current = undefined
    }
  }

  close(): void {
    this.socket.destroy()
  }
}

export interface ToolRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs ffmpeg or ffprobe with an argument array; never rejects (the exit code and stderr tell). */
export function runTool(cmd: 'ffmpeg' | 'ffprobe', args: string[], timeoutMs = 30_000): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      ['-hide_banner', ...args],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
        resolve({ code, stdout: String(stdout), stderr: String(stderr) })
      },
    )
  })
}

/**
 * `ffmpeg -rtsp_transport tcp -i <url> -c copy -frames:v <n> -f null -`; `frames` is what ffmpeg reports
 * having written (from `-progress`).
 */
export async function readFrames(
  url: string,
  frames: number,
  timeoutMs?: number,
): Promise<ToolRun & { frames: number }> {
  const run = await runTool(
    'ffmpeg',
    [
      ...['-nostdin', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1', '-rtsp_transport', 'tcp'],
      ...['-i', url, '-c', 'copy', '-frames:v', String(frames), '-f', 'null', '-'],
    ],
    timeoutMs,
  )
  const counts = [...run.stdout.matchAll(/^frame=(\d+)$/gm)].map((m) => Number(m[1]))
  return { ...run, frames: counts.length ? counts[counts.length - 1]! : 0 }
}

/**
 * A minimal RTSP camera for the tests (test code only): OPTIONS, DESCRIBE, SETUP (TCP interleaved only),
 * PLAY, GET_PARAMETER, TEARDOWN; Basic or Digest authentication checked on every request; after PLAY it
 * sends either real H.264 as RTP (single NAL units and FU-A, from an Annex-B clip, looped) or numbered
 * dummy frames, and can go silent after a number of frames (a stalled camera).
 */
import { createHash, randomBytes } from 'node:crypto'
import net from 'node:net'
import { parseChallenges } from '../http-auth'
import { RtspFramer, frameCollector, getHeader, requestLine, type RtspMessage } from './rtsp-message'
import { annexBNals } from '../fmp4/test-clips'

export interface TestCameraAuth {
  scheme: 'basic' | 'digest'
  username: string
  password: string
  realm?: string
  /** Digest with qop="auth" (nc and cnonce), or the RFC 2069 form without. */
  qop?: boolean
  /** Digest: after this many authorized requests, a new nonce (401 with stale=true). */
  rotateNonceAfter?: number
}

export type TestCameraMedia =
  | { kind: 'h264'; annexB: Buffer; fps: number }
  /** Frame i is `size(i)` bytes of (i & 0xff), on channel 0. */
  | { kind: 'dummy'; fps: number; frames: number; size: (i: number) => number }

export interface TestCameraOptions {
  auth?: TestCameraAuth
  media: TestCameraMedia
  /** Goes silent after this many frames (the connection stays open). */
  stallAfterFrames?: number
  /** The first frame sent after PLAY (to join the clip mid-GOP). */
  startAtFrame?: number
  /** Session timeout announced in SETUP (ffmpeg sends keep-alives at half of it). */
  sessionTimeoutS?: number
  /** DESCRIBE answers a Content-Base with the camera's own absolute URL, as many cameras do. */
  absoluteContentBase?: boolean
}

export interface RecordedRequest {
  method: string
  uri: string
  cseq: string | undefined
  authorization: string | undefined
  authorized: boolean
}

export interface TestCamera {
  /** rtsp://127.0.0.1:<port>/stream, without credentials. */
  url: string
  port: number
  requests: RecordedRequest[]
  /** Interleaved frames received from clients (RTCP receiver reports...). */
  framesFromClients: number
  connections: number
  /** Connections open right now. */
  open(): number
  /** Closes every client connection from the camera's side. */
  dropConnections(): void
  framesSent: number
  close(): Promise<void>
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex')

/** Access units of an Annex-B H.264 stream (parameter sets and SEI go with the next slice). */
function accessUnits(annexB: Buffer): Buffer[][] {
  const aus: Buffer[][] = []
  let current: Buffer[] = []
  for (const nal of annexBNals(annexB)) {
    current.push(nal)
    const type = nal[0]! & 0x1f
    if (type === 1 || type === 5) {
      aus.push(current)
      current = []
    }
  }
  return aus
}

/** RTP payloads (RFC 6184) of one access unit: single NAL units up to 1400 bytes, FU-A beyond. */
function packetize(au: Buffer[]): Buffer[] {
  const out: Buffer[] = []
  for (const nal of au) {
    if (nal.length <= 1400) {
      out.push(nal)
      continue
    }
    for (let off = 1; off < nal.length; off += 1400) {
      const end = Math.min(nal.length, off + 1400)
      const fu = Buffer.from([
        (nal[0]! & 0xe0) | 28,
        (off === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | (nal[0]! & 0x1f),
      ])
      out.push(Buffer.concat([fu, nal.subarray(off, end)]))
    }
  }
  return out
}

export async function startTestCamera(options: TestCameraOptions): Promise<TestCamera> {
  const sockets = new Set<net.Socket>()
  const media = options.media
  const aus = media.kind === 'h264' ? accessUnits(media.annexB) : []
  let sdp = 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=test camera\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n'
  if (media.kind === 'h264') {
    const nals = aus.flat()
    const sps = nals.find((n) => (n[0]! & 0x1f) === 7)!
    const pps = nals.find((n) => (n[0]! & 0x1f) === 8)!
    sdp +=
      'm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n' +
      `a=fmtp:96 packetization-mode=1;profile-level-id=${sps.subarray(1, 4).toString('hex')};` +
      `sprop-parameter-sets=${sps.toString('base64')},${pps.toString('base64')}\r\na=control:track1\r\n`
  } else {
    sdp += 'm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:track1\r\n'
  }

  const camera: TestCamera = {
    url: '',
    port: 0,
    requests: [],
    framesFromClients: 0,
    connections: 0,
    open: () => sockets.size,
    dropConnections: () => {
      for (const s of sockets) s.destroy()
    },
    framesSent: 0,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }

  const server = net.createServer((socket) => {
    sockets.add(socket)
    camera.connections++
    let nonce = randomBytes(8).toString('hex')
    let authorizedWithNonce = 0
    let lastNc = 0
    let timer: NodeJS.Timeout | undefined
    const stop = () => clearInterval(timer)
    socket.on('close', () => {
      stop()
      sockets.delete(socket)
    })
    socket.on('error', () => {})

    const respond = (req: RtspMessage, status: string, headers: string[] = [], body = '') => {
      const cseq = getHeader(req, 'CSeq')
      const lines = [`RTSP/1.0 ${status}`, ...(cseq ? [`CSeq: ${cseq}`] : []), ...headers]
      lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body)
      socket.write(lines.join('\r\n'))
    }

    const checkAuth = (req: RtspMessage, method: string, uri: string): boolean => {
      const auth = options.auth
      if (!auth) return true
      const header = getHeader(req, 'Authorization')
      if (!header) return false
      if (auth.scheme === 'basic') {
        return header === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
      }
      const c = parseChallenges(header)[0]
      if (!c || c.scheme !== 'digest') return false
      const p = c.params
      if (p.username !== auth.username || p.realm !== (auth.realm ?? 'camera') || p.nonce !== nonce)
        return false
      if (p.uri !== uri) return false
      const ha1 = md5(`${auth.username}:${p.realm}:${auth.password}`)
      const ha2 = md5(`${method}:${uri}`)
      if (auth.qop) {
        const nc = parseInt(p.nc ?? '', 16)
        if (p.qop !== 'auth' || !(nc > lastNc) || !p.cnonce) return false
        if (p.response !== md5(`${ha1}:${nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`)) return false
        lastNc = nc
        return true
      }
      return p.response === md5(`${ha1}:${nonce}:${ha2}`)
    }

    const challenge = (stale: boolean) => {
      const auth = options.auth!
      if (auth.scheme === 'basic') return [`WWW-Authenticate: Basic realm="${auth.realm ?? 'camera'}"`]
      const qop = auth.qop ? ', qop="auth"' : ''
      return [
        `WWW-Authenticate: Digest realm="${auth.realm ?? 'camera'}", nonce="${nonce}"${qop}${stale ? ', stale=TRUE' : ''}`,
      ]
    }

    const play = () => {
      let frame = options.startAtFrame ?? 0
      let seq = 0
      timer = setInterval(() => {
        if (options.stallAfterFrames !== undefined && camera.framesSent >= options.stallAfterFrames) return
        if (media.kind === 'dummy') {
          if (frame >= media.frames) return
          const payload = Buffer.alloc(media.size(frame), frame & 0xff)
          const header = Buffer.from([0x24, 0, payload.length >> 8, payload.length & 0xff])
          socket.write(Buffer.concat([header, payload]))
        } else {
          const au = aus[frame % aus.length]!
          const ts = Math.round((frame * 90000) / media.fps) >>> 0
          const packets = packetize(au)
          packets.forEach((payload, i) => {
            const rtp = Buffer.alloc(16)
            rtp.writeUInt16BE(12 + payload.length, 2)
            rtp[0] = 0x24
            rtp[1] = 0
            rtp[4] = 0x80
            rtp[5] = 96 | (i === packets.length - 1 ? 0x80 : 0)
            rtp.writeUInt16BE(seq++ & 0xffff, 6)
            rtp.writeUInt32BE(ts, 8)
            rtp.writeUInt32BE(0x47534331, 12)
            socket.write(Buffer.concat([rtp, payload]))
          })
        }
        frame++
        camera.framesSent++
      }, 1000 / media.fps)
    }

    const framer = new RtspFramer({
      ...frameCollector(() => camera.framesFromClients++),
      message: (req) => {
        const line = requestLine(req)
        if (!line) return
        const { method, uri } = line
        const authorized = checkAuth(req, method, uri)
        camera.requests.push({
          method,
          uri,
          cseq: getHeader(req, 'CSeq'),
          authorization: getHeader(req, 'Authorization'),
          authorized,
        })
        if (!authorized) return respond(req, '401 Unauthorized', challenge(false))
        if (options.auth?.rotateNonceAfter && ++authorizedWithNonce > options.auth.rotateNonceAfter) {
          nonce = randomBytes(8).toString('hex')
          authorizedWithNonce = 0
          lastNc = 0
          return respond(req, '401 Unauthorized', challenge(true))
        }
        if (uri !== '*' && !/^rtsp:\/\/[^/]+\/stream([/?]|$)/.test(uri)) return respond(req, '404 Not Found')
        const session = `Session: 4711;timeout=${options.sessionTimeoutS ?? 60}`
        switch (method) {
          case 'OPTIONS':
            return respond(req, '200 OK', ['Public: OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN'])
          case 'DESCRIBE': {
            const base = options.absoluteContentBase ? `${camera.url}/` : `${uri.replace(/\/$/, '')}/`
            return respond(req, '200 OK', ['Content-Type: application/sdp', `Content-Base: ${base}`], sdp)
          }
          case 'SETUP': {
            const transport = getHeader(req, 'Transport') ?? ''
            if (!/interleaved/.test(transport)) return respond(req, '461 Unsupported Transport')
            return respond(req, '200 OK', ['Transport: RTP/AVP/TCP;unicast;interleaved=0-1', session])
          }
          case 'PLAY':
            respond(req, '200 OK', [session, 'Range: npt=0.000-'])
            return play()
          case 'GET_PARAMETER':
            return respond(req, '200 OK', [session])
          case 'TEARDOWN':
            stop()
            return respond(req, '200 OK', [session])
          default:
            return respond(req, '405 Method Not Allowed')
        }
      },
      error: () => socket.destroy(),
    })
    socket.on('data', (chunk: Buffer) => framer.push(chunk))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  camera.port = (server.address() as net.AddressInfo).port
  camera.url = `rtsp://127.0.0.1:${camera.port}/stream`
  return camera
}

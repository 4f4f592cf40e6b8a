/**
 * One cheap check that an RTSP camera is alive: a DESCRIBE of its main stream over a fresh TCP connection,
 * answering a Basic or Digest challenge once (http-auth.ts, as the auth proxy does), then the connection
 * is closed. No media is set up and no ffmpeg runs. Errors name what went wrong (refused, wrong
 * credentials, stream not found), never the URL or the credentials.
 */
import net from 'node:net'
import { CameraRequestError } from '../camera-http'
import { DigestSession, basicAuthorization, parseChallenges, pickChallenge } from '../http-auth'
import {
  RtspFramer,
  getHeader,
  getHeaders,
  serialize,
  statusOf,
  type RtspMessage,
} from '../ffmpeg/rtsp-message'
import type { RelayCamera } from '../../cameras/views'
import type { ProbeEnv } from './probe-types'

interface Target {
  host: string
  port: number
  /** The URL as sent in requests: no userinfo. */
  uri: string
  creds: { username: string; password: string } | undefined
}

function targetOf(cam: RelayCamera): Target {
  let url: URL
  try {
    url = new URL(cam.url ?? '')
  } catch {
    throw new CameraRequestError('camera URL unusable')
  }
  if (url.protocol !== 'rtsp:') throw new CameraRequestError('camera URL unusable: not an rtsp:// URL')
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s)
    } catch {
      return s
    }
  }
  const username = cam.username ?? (url.username ? decode(url.username) : null)
  const password = cam.password ?? (url.password ? decode(url.password) : null)
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 554,
    uri: `rtsp://${url.host}${url.pathname || '/'}${url.search}`,
    creds:
      username !== null || password !== null
        ? { username: username ?? '', password: password ?? '' }
        : undefined,
  }
}

const STATUS_REASONS: Record<number, string> = {
  403: 'camera refused the request (RTSP 403)',
  404: 'stream not found on the camera (RTSP 404)',
  454: 'camera says the session is not found (RTSP 454)',
}

export async function probeRtspCamera(cam: RelayCamera, env: ProbeEnv, signal: AbortSignal): Promise<void> {
  const t = targetOf(cam)
  const conn = await RtspConnection.open(t.host, t.port, env.connectTimeoutMs, signal)
  try {
    let res = await conn.describe(t.uri, undefined)
    if (statusOf(res) === 401 && t.creds) {
      const challenge = pickChallenge(parseChallenges(getHeaders(res, 'www-authenticate')))
      if (!challenge)
        throw new CameraRequestError('camera asks for an authentication scheme the station cannot answer')
      const auth =
        challenge.scheme === 'basic'
          ? basicAuthorization(t.creds)
          : new DigestSession(challenge, t.creds).authorization('DESCRIBE', t.uri)
      res = await conn.describe(t.uri, auth)
      if (statusOf(res) === 401)
        throw new CameraRequestError('camera refused the stored credentials (RTSP 401)')
    }
    const status = statusOf(res) ?? 0
    if (status === 401)
      throw new CameraRequestError('camera requires credentials (RTSP 401): add a username and password')
    if (status < 200 || status >= 300) {
      throw new CameraRequestError(STATUS_REASONS[status] ?? `camera answered RTSP ${status}`)
    }
  } finally {
    conn.close()
  }
}

/** One RTSP connection for request/response, bounded by a timeout per answer. */
class RtspConnection {
  private cseq = 0
  private waiting: { resolve: (m: RtspMessage) => void; reject: (e: Error) => void } | undefined
  private failure: Error | undefined

  private constructor(
    private readonly socket: net.Socket,
    private readonly timeoutMs: number,
  ) {
    const framer = new RtspFramer(
      {
        message: (m) => {
          const w = this.waiting
          this.waiting = undefined
          w?.resolve(m)
        },
        interleavedStart: () => {},
        interleavedData: () => {},
        error: () => this.fail(new CameraRequestError('camera does not speak RTSP')),
      },
      { maxBodyBytes: 256 * 1024 },
    )
    socket.on('data', (c: Buffer) => framer.push(c))
    socket.on('error', (err) => this.fail(err))
    socket.on('close', () => this.fail(new CameraRequestError('camera closed the connection')))
  }

  static open(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<RtspConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port })
      const timer = setTimeout(
        () => socket.destroy(new CameraRequestError(`camera did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      )
      const onAbort = () => socket.destroy(new CameraRequestError('check cancelled'))
      signal.addEventListener('abort', onAbort, { once: true })
      socket.once('connect', () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        resolve(new RtspConnection(socket, timeoutMs))
      })
      socket.once('error', (err) => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        reject(err)
      })
    })
  }

  describe(uri: string, authorization: string | undefined): Promise<RtspMessage> {
    if (this.failure) return Promise.reject(this.failure)
    const headers: [string, string][] = [
      ['CSeq', String(++this.cseq)],
      ['User-Agent', 'GuardStation/1'],
      ['Accept', 'application/sdp'],
    ]
    if (authorization) headers.push(['Authorization', authorization])
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new CameraRequestError(`camera did not answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      )
      this.waiting = {
        resolve: (m) => {
          clearTimeout(timer)
          if (getHeader(m, 'cseq') !== String(this.cseq)) {
            reject(new CameraRequestError('camera answered out of order'))
            return
          }
          resolve(m)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      }
      this.socket.write(serialize({ startLine: `DESCRIBE ${uri} RTSP/1.0`, headers, body: Buffer.alloc(0) }))
    })
  }

  private fail(err: Error): void {
    this.failure ??= err
    const w = this.waiting
    this.waiting = undefined
    w?.reject(err)
  }

  close(): void {
    this.socket.destroy()
  }
}

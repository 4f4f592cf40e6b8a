/**
 * HTTP(S) requests from the station to a pull camera: one connection at a time, bounded waits, Basic or
 * Digest credentials answered on the camera's challenge (and sent up front afterwards), and errors worded
 * for the guard ("connection refused", "wrong credentials"), never containing the credentials.
 */
import http, { type IncomingMessage, type ClientRequest } from 'node:http'
import https from 'node:https'
import {
  DigestSession,
  basicAuthorization,
  parseChallenges,
  pickChallenge,
  type Credentials,
} from './http-auth'

export class CameraRequestError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message)
  }
}

/** A readable reason for a network error, without URLs or credentials. */
export function describeError(err: unknown): string {
  if (err instanceof CameraRequestError) return err.message
  const e = err as NodeJS.ErrnoException & { reason?: string }
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ECONNRESET':
      return 'connection reset by the camera'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'camera unreachable'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'camera host name not found'
    case 'ETIMEDOUT':
      return 'connection timed out'
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return `camera's TLS certificate is not trusted (${e.code}); set STATION_VIDEO_TLS_VERIFY=false for self-signed cameras`
  }
  const msg = e instanceof Error ? e.message : String(err)
  return msg.replace(/https?:\/\/[^\s]*/g, '[camera url]')
}

export interface CameraHttpOptions {
  connectTimeoutMs: number
  tlsVerify: boolean
  /** Keep the connection between requests (snapshot polling); MJPEG holds one long response. */
  keepAlive: boolean
  accept: string
}

/** The camera's URL split from any user:password in it (those join the stored credentials). */
export function splitCameraUrl(
  raw: string,
  username: string | null,
  password: string | null,
): { url: URL; creds: Credentials | undefined } {
  const url = new URL(raw)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CameraRequestError(`only http and https URLs can be pulled (got ${url.protocol})`)
  }
  let creds: Credentials | undefined
  if (username) creds = { username, password: password ?? '' }
  else if (url.username) {
    creds = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
  }
  url.username = ''
  url.password = ''
  return { url, creds }
}

export class CameraHttp {
  private readonly agent: http.Agent
  private current: ClientRequest | undefined
  private basic = false
  private digest: DigestSession | undefined

  constructor(
    private readonly url: URL,
    private readonly creds: Credentials | undefined,
    private readonly opts: CameraHttpOptions,
  ) {
    const agentOpts = { keepAlive: opts.keepAlive, maxSockets: 1, maxFreeSockets: 1 }
    this.agent =
      url.protocol === 'https:'
        ? new https.Agent({ ...agentOpts, rejectUnauthorized: opts.tlsVerify })
        : new http.Agent(agentOpts)
  }

  /** GETs the camera URL; resolves with a 2xx response (headers received), rejects with a readable error. */
  async open(): Promise<IncomingMessage> {
    let res = await this.request()
    if (res.statusCode === 401 && this.creds) {
      res.resume()
      const challenge = pickChallenge(parseChallenges(res.headers['www-authenticate']))
      if (!challenge)
        throw new CameraRequestError(
          'camera asks for an authentication scheme the station cannot answer',
          401,
        )
      this.basic = challenge.scheme === 'basic'
      this.digest = challenge.scheme === 'digest' ? new DigestSession(challenge, this.creds) : undefined
      res = await this.request()
      if (res.statusCode === 401) {
        res.resume()
        // A stale nonce is answered once more; anything else means the credentials are wrong.
        const again = pickChallenge(parseChallenges(res.headers['www-authenticate']))
        if (again?.scheme === 'digest' && /true/i.test(again.params.stale ?? '')) {
          this.digest = new DigestSession(again, this.creds)
          res = await this.request()
        }
        if (res.statusCode === 401) {
          res.resume()
          this.basic = false
          this.digest = undefined
          throw new CameraRequestError('camera refused the stored credentials (HTTP 401)', 401)
        }
      }
    }
    const status = res.statusCode ?? 0
    if (status === 401) {
      res.resume()
      throw new CameraRequestError('camera requires credentials (HTTP 401): add a username and password', 401)
    }
    if (status < 200 || status >= 300) {
      res.resume()
      throw new CameraRequestError(`camera answered HTTP ${status}`, status)
    }
    return res
  }

  private request(): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {
        accept: this.opts.accept,
        'user-agent': 'GuardStation/1',
      }
      const path = `${this.url.pathname}${this.url.search}`
      if (this.creds && this.digest) headers.authorization = this.digest.authorization('GET', path)
      else if (this.creds && this.basic) headers.authorization = basicAuthorization(this.creds)
      const mod = this.url.protocol === 'https:' ? https : http
      const req = mod.request(this.url, { method: 'GET', headers, agent: this.agent })
      this.current = req
      const timer = setTimeout(
        () =>
          req.destroy(
            new CameraRequestError(`camera did not answer within ${this.opts.connectTimeoutMs} ms`),
          ),
        this.opts.connectTimeoutMs,
      )
      req.once('response', (res) => {
        clearTimeout(timer)
        resolve(res)
      })
      req.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      req.end()
    })
  }

  /** Aborts the request in progress (its promise or stream fails). */
  abort(reason = 'stopped'): void {
    this.current?.destroy(new CameraRequestError(reason))
    this.current = undefined
  }

  close(): void {
    this.abort()
    this.agent.destroy()
  }
}

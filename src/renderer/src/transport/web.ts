/**
 * Browser-mode transport: HTTP requests with the session as a Bearer token, live messages over
 * `/ws/live?token=`. `fetch` and the WebSocket constructor are passed in, so the same code runs in the
 * page and in Node tests against a real station.
 */
import type { ArgsOf, LiveMessage, OperationName, ResultOf } from '../../../shared/contract'
import { toHttpRequest } from '../../../shared/contract/http'
import type { BackoffOptions, LiveHandlers } from './live-channel'
import { SessionTransport } from './session-transport'
import { StationRequestError, type Transport } from './types'

export interface FetchResponseLike {
  status: number
  text(): Promise<string>
}
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<FetchResponseLike>

/** The part of the WebSocket API the transport uses (the browser's, or `ws` in Node tests). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code: number; reason: string }) => void) | null
  onerror: ((ev: unknown) => void) | null
  close(code?: number, reason?: string): void
}

export interface WebTransportOptions extends BackoffOptions {
  /** Origin of the station's HTTP API ('' for the page's own origin). */
  baseUrl: string
  /** Origin of its WebSockets, e.g. ws://127.0.0.1:8787. */
  wsBaseUrl: string
  fetch: FetchLike
  createSocket: (url: string) => SocketLike
}

interface Envelope {
  success?: boolean
  data?: unknown
  message?: string
  code?: string
}

export function parseEnvelope(
  status: number,
  text: string,
): { ok: true; data: unknown } | StationRequestError {
  let body: Envelope | undefined
  try {
    body = text ? (JSON.parse(text) as Envelope) : undefined
  } catch {
    body = undefined
  }
  if (status >= 200 && status < 300 && body?.success === true) return { ok: true, data: body.data }
  if (status >= 200 && status < 300 && body === undefined) return { ok: true, data: undefined }
  const message = body?.message ?? `The station answered ${status}`
  return new StationRequestError(status, body?.code ?? `HTTP_${status}`, message)
}

/** Live messages arrive one per frame (or as an array of them). */
export function parseLive(data: unknown): LiveMessage[] {
  if (typeof data !== 'string') return []
  try {
    const parsed = JSON.parse(data) as unknown
    const list = Array.isArray(parsed) ? parsed : [parsed]
    return list.filter(
      (m): m is LiveMessage =>
        typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string',
    )
  } catch {
    return []
  }
}

export class WebTransport extends SessionTransport implements Transport {
  readonly kind = 'web' as const

  constructor(private readonly opts: WebTransportOptions) {
    super(opts)
  }

  async request<K extends OperationName>(op: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
    const req = toHttpRequest(op, args)
    const headers: Record<string, string> = { accept: 'application/json' }
    if (this.token) headers.authorization = `Bearer ${this.token}`
    if (req.body !== undefined) headers['content-type'] = 'application/json'
    let res: FetchResponseLike
    let text: string
    try {
      res = await this.opts.fetch(`${this.opts.baseUrl}${req.url}`, {
        method: req.method,
        headers,
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      })
      text = await res.text()
    } catch (err) {
      throw new StationRequestError(0, 'NETWORK', `The station cannot be reached (${describe(err)})`)
    }
    const parsed = parseEnvelope(res.status, text)
    if (parsed instanceof StationRequestError) this.refuse(op, parsed)
    return parsed.data as ResultOf<K>
  }

  /** Whether the session is still valid (asked after a live connection fails before opening). */
  private async sessionValid(token: string): Promise<boolean> {
    try {
      const res = await this.opts.fetch(`${this.opts.baseUrl}/api/auth/me`, {
        method: 'GET',
        headers: { accept: 'application/json', authorization: `Bearer ${token}` },
      })
      return res.status !== 401
    } catch {
      return true
    }
  }

  protected connectLive(token: string, h: LiveHandlers): () => void {
    const url = `${this.opts.wsBaseUrl}/ws/live?token=${encodeURIComponent(token)}`
    let socket: SocketLike
    try {
      socket = this.opts.createSocket(url)
    } catch (err) {
      queueMicrotask(() => h.closed({ reason: describe(err) }))
      return () => {}
    }
    let opened = false
    let done = false
    socket.onopen = () => {
      opened = true
      h.open()
    }
    socket.onmessage = (ev) => {
      for (const msg of parseLive(ev.data)) h.message(msg)
    }
    socket.onerror = () => {}
    socket.onclose = (ev) => {
      if (done) return
      done = true
      const reason = ev.reason || `live connection closed (${ev.code})`
      if (ev.code === 4401 || ev.code === 1008) return h.closed({ reason, unauthorized: true })
      if (opened) return h.closed({ reason })
      void this.sessionValid(token).then((valid) => h.closed({ reason, unauthorized: !valid }))
    }
    return () => {
      done = true
      socket.onopen = socket.onmessage = socket.onclose = null
      try {
        socket.close(1000, 'closing')
      } catch {
        /* already closed */
      }
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

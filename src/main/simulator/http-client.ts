/** JSON over keep-alive HTTP connections (node:http Agent), with a timeout per request. */
import http from 'node:http'
import https from 'node:https'

export interface JsonResponse {
  status: number
  /** Seconds from Retry-After, when the station sent it. */
  retryAfter: number | undefined
  body: unknown
}

export class JsonClient {
  private readonly agent: http.Agent
  private readonly base: URL
  private readonly transport: typeof http | typeof https
  private readonly timeoutMs: number

  constructor(
    baseUrl: string,
    private readonly headers: Record<string, string>,
    opts: { maxSockets: number; timeoutMs: number },
  ) {
    this.base = new URL(baseUrl)
    const secure = this.base.protocol === 'https:'
    this.transport = secure ? https : http
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets, maxFreeSockets: opts.maxSockets }
    this.agent = secure ? new https.Agent(agentOpts) : new http.Agent(agentOpts)
    this.timeoutMs = opts.timeoutMs
  }

  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<JsonResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    return new Promise((resolve, reject) => {
      const req = this.transport.request(
        {
          agent: this.agent,
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers: {
            ...this.headers,
            accept: 'application/json',
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': String(payload.length) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let parsed: unknown = text
            try {
              parsed = text ? JSON.parse(text) : undefined
            } catch {
              // Not JSON (a proxy's error page?): keep the text for the error message.
            }
            const ra = Number(res.headers['retry-after'])
            resolve({
              status: res.statusCode ?? 0,
              retryAfter: Number.isFinite(ra) && ra >= 0 ? ra : undefined,
              body: parsed,
            })
          })
        },
      )
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)))
      req.on('error', reject)
      req.end(payload)
    })
  }

  close(): void {
    this.agent.destroy()
  }
}

/** The `message` of a station error answer, or a short description of whatever came back. */
export function errorMessage(res: JsonResponse): string {
  const b = res.body
  let msg = ''
  if (typeof b === 'string') msg = b.slice(0, 120)
  else if (typeof b === 'object' && b !== null && typeof (b as { message?: unknown }).message === 'string')
    msg = (b as { message: string }).message
  return `HTTP ${res.status}${msg ? `: ${msg}` : ''}`
}

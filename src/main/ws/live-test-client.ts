/** Test support: a `/ws/live` subscriber that collects messages, and a bounded wait for a condition. */
import WebSocket from 'ws'
import type { LiveMessage } from '../../shared/schemas/live'

/** Polls `check` until it returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export interface LiveClient {
  ws: WebSocket
  messages: LiveMessage[]
  /** Resolves with the first message (already received or to come) that matches. */
  next<T extends LiveMessage['type']>(
    type: T,
    match?: (m: Extract<LiveMessage, { type: T }>) => boolean,
  ): Promise<Extract<LiveMessage, { type: T }>>
  close(): Promise<void>
}

export async function connectLive(baseUrl: string, token: string): Promise<LiveClient> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws/live?token=${encodeURIComponent(token)}`)
  const messages: LiveMessage[] = []
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as LiveMessage))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
  })
  return {
    ws,
    messages,
    next: (type, match) =>
      waitFor(
        () =>
          messages.find(
            (m): m is Extract<LiveMessage, { type: typeof type }> =>
              m.type === type && (!match || match(m as Extract<LiveMessage, { type: typeof type }>)),
          ),
        `live message ${type}`,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve()
        ws.once('close', () => resolve())
        ws.close()
        // A client that stopped reading never sees the close handshake finish: cut it.
        setTimeout(() => ws.terminate(), 1000).unref()
      }),
  }
}

/**
 * Shutdown and devices: readings sent before the close are committed and acknowledged on their sockets
 * before the sockets close (1001), so a device never resends what was stored; HTTP clients of a closing
 * or full station get a code and Retry-After.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import { rmSync } from 'node:fs'
import Database from 'better-sqlite3'
import { WebSocket } from 'ws'
import { databasePath } from '../database/open'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'

function device(port: number, deviceId: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/device?deviceId=${deviceId}`, {
    headers: { 'x-device-key': TEST_DEVICE_KEY },
  })
  const frames: { op: string; id?: number; code?: string; accepted?: number }[] = []
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as (typeof frames)[number]))
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)))
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, frames, opened, closed }
}

describe('device sockets at shutdown', () => {
  let st: TestStation | undefined
  afterEach(async () => {
    await st?.close()
    st = undefined
  })

  it('acknowledges every committed reading before closing the socket with 1001', async () => {
    st = await createTestStation()
    const { port } = await st.start()
    const d = device(port, 'dev-drain')
    await d.opened
    const MESSAGES = 400
    let stopping: Promise<void> | undefined
    d.ws.on('message', () => {
      // Stop at the first ack: the messages behind it are in the queues, or on their way.
      stopping ??= st!.stop()
    })
    for (let id = 0; id < MESSAGES; id++) {
      d.ws.send(JSON.stringify({ op: 'reading', id, sensor: 'seq', value: id, ts: Date.now() }))
    }
    expect(await d.closed).toBe(1001)
    await stopping

    const acked = d.frames.filter((f) => f.op === 'ack').length
    const db = new Database(databasePath(st.dataDir), { readonly: true })
    const stored = db.prepare(`SELECT count(*) AS n FROM readings`).get() as { n: number }
    db.close()
    expect(acked).toBeGreaterThan(0)
    expect(stored.n).toBe(acked)
    // What was not stored was refused as SHUTTING_DOWN, or never answered (the device resends both).
    for (const f of d.frames) if (f.op === 'error') expect(f.code).toBe('SHUTTING_DOWN')
    rmSync(st.dataDir, { recursive: true, force: true })
    st = undefined
  })

  it('answers HTTP requests of a closing station 503 SHUTTING_DOWN with Retry-After', async () => {
    st = await createTestStation()
    const { port } = await st.start()
    const d = device(port, 'dev-watch')
    await d.opened
    // The request line is sent before the close, the rest of the request during it.
    let answer = ''
    const client = connect(port, '127.0.0.1')
    client.on('data', (b: Buffer) => (answer += b.toString()))
    const ended = new Promise<void>((r) => client.once('close', () => r()))
    await new Promise<void>((r) => client.once('connect', () => r()))
    client.write('GET /api/health HTTP/1.1\r\n')
    const stopped = st.stop()
    await d.closed
    client.write(`Host: 127.0.0.1:${port}\r\n\r\n`)
    await ended
    await stopped
    const [head, body] = answer.split('\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 503/)
    expect(head!.toLowerCase()).toContain('retry-after: 5')
    expect(head!.toLowerCase()).toContain('connection: close')
    expect(JSON.parse(body!)).toMatchObject({ statusCode: 503, code: 'SHUTTING_DOWN' })
  })

  it('refuses a device socket over the budget with TOO_MANY_CONNECTIONS and Retry-After', async () => {
    st = await createTestStation({ STATION_WS_MAX: '1' })
    const { port } = await st.start()
    const first = device(port, 'dev-one')
    await first.opened
    const refused = await new Promise<{ status?: number; retryAfter?: string; body: string }>(
      (resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/device?deviceId=dev-two`, {
          headers: { 'x-device-key': TEST_DEVICE_KEY },
        })
        ws.once('open', () => reject(new Error('a second device socket was accepted')))
        ws.once('unexpected-response', (_req, res) => {
          let body = ''
          res.on('data', (b: Buffer) => (body += b.toString()))
          res.on('end', () =>
            resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] as string, body }),
          )
        })
      },
    )
    expect(refused.status).toBe(503)
    expect(refused.retryAfter).toBe('5')
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' })
    first.ws.close()
  })
})

/**
 * Shutdown finishes whatever clients do: a WebSocket upgrade that arrives while the station closes is
 * answered and its socket ended, slowloris clients and slow uploads are cut at the drain deadline, and
 * the headless runner's hard deadline leaves a station that cannot stop behind.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { connect, type Socket } from 'node:net'
import { WebSocket } from 'ws'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from './server/test-helper'
import { stopWithin } from './stop-deadline'

/** A raw TCP client: what it received, and a promise that settles when the station closes it. */
interface RawClient {
  socket: Socket
  received: () => string
  closed: Promise<void>
}

function rawClient(port: number, first: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    let data = ''
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(first)
      resolve({ socket, received: () => data, closed })
    })
    const closed = new Promise<void>((r) => socket.once('close', () => r()))
    socket.on('data', (d: Buffer) => (data += d.toString()))
    socket.once('error', reject)
  })
}

function deviceSocket(port: number, deviceId: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/device?deviceId=${deviceId}`, {
    headers: { 'x-device-key': TEST_DEVICE_KEY },
  })
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)))
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, opened, closed }
}

describe('bounded shutdown', () => {
  let st: TestStation | undefined
  const clients: Socket[] = []
  afterEach(async () => {
    for (const c of clients) c.destroy()
    await st?.close()
    st = undefined
  })

  it('answers a WebSocket upgrade that arrives while closing, and ends its socket', async () => {
    st = await createTestStation()
    const { port } = await st.start()
    const device = deviceSocket(port, 'dev-early')
    await device.opened
    // The upgrade's request line is on the wire before the close; its headers complete during it.
    const late = await rawClient(port, 'GET /ws/device?deviceId=dev-late HTTP/1.1\r\n')
    clients.push(late.socket)

    const stopped = st.stop()
    expect(await device.closed).toBe(1001) // the station is closing
    late.socket.write(
      [
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        `x-device-key: ${TEST_DEVICE_KEY}`,
        '',
        '',
      ].join('\r\n'),
    )
    await late.closed
    expect(late.received()).toMatch(/^HTTP\/1\.1 503/)
    await stopped
  })

  it('cuts a slowloris client and a slow upload, and still stops', async () => {
    st = await createTestStation()
    const { port } = await st.start()
    const slowHeaders = await rawClient(port, `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`)
    const slowBody = await rawClient(
      port,
      [
        'POST /api/v1/ingest/sensor-data HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `x-device-key: ${TEST_DEVICE_KEY}`,
        'Content-Type: application/json',
        'Content-Length: 1000',
        '',
        '{"deviceId":"slow","sensor":"t","value":',
      ].join('\r\n'),
    )
    clients.push(slowHeaders.socket, slowBody.socket)
    await st.stop()
    await Promise.all([slowHeaders.closed, slowBody.closed])
  }, 30_000)

  it("the runner's deadline gives up on a stop that never ends", async () => {
    expect(await stopWithin(() => new Promise<void>(() => {}), 50)).toBe('timeout')
    expect(await stopWithin(async () => {}, 60_000)).toBe('stopped')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'

interface Client {
  ws: WebSocket
  /** Resolves with the next JSON message (bounded wait). */
  next(): Promise<Record<string, unknown>>
  send(msg: unknown): void
  closed: Promise<{ code: number; reason: string }>
}

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('/ws/device', () => {
  let st: TestStation
  let base: string
  const key = { 'x-device-key': TEST_DEVICE_KEY }
  const open: WebSocket[] = []

  const connect = (query: string, headers: Record<string, string> = key) =>
    new Promise<Client>((resolve, reject) => {
      const ws = new WebSocket(`${base}/ws/device?${query}`, { headers })
      open.push(ws)
      const inbox: Record<string, unknown>[] = []
      const waiters: ((m: Record<string, unknown>) => void)[] = []
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as Record<string, unknown>
        const w = waiters.shift()
        if (w) w(msg)
        else inbox.push(msg)
      })
      const closed = new Promise<{ code: number; reason: string }>((r) =>
        ws.on('close', (code, reason) => r({ code, reason: reason.toString() })),
      )
      ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
      ws.on('error', reject)
      ws.on('open', () =>
        resolve({
          ws,
          closed,
          send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
          next: () =>
            new Promise((res, rej) => {
              const m = inbox.shift()
              if (m) return res(m)
              const t = setTimeout(() => rej(new Error('no message in time')), 15_000)
              waiters.push((msg) => {
                clearTimeout(t)
                res(msg)
              })
            }),
        }),
      )
    })

  const stored = (deviceId: string) =>
    (
      st.app.db
        .prepare(
          'SELECT count(*) AS n FROM readings r JOIN sensors s ON s.id = r.sensor_id WHERE s.device_id = ?',
        )
        .get(deviceId) as { n: number }
    ).n

  beforeAll(async () => {
    st = await createTestStation({ STATION_WS_MAX: '4' })
    const { port } = await st.start()
    base = `ws://127.0.0.1:${port}`
  })
  afterAll(async () => {
    for (const ws of open) ws.terminate()
    await st.close()
  })

  it('acknowledges a reading only after it is committed', async () => {
    const c = await connect('deviceId=ws-1')
    c.send({ op: 'reading', sensor: 'temperature', value: 21.5, unit: 'C', id: 7 })
    const ack = await c.next()
    expect(ack).toEqual({ op: 'ack', id: 7, accepted: 1 })
    // The ack went out after the commit: the row is there the moment the device hears about it.
    expect(stored('ws-1')).toBe(1)
    expect(st.app.devices.isConnected('ws-1')).toBe(true)
    expect(st.app.devices.isOnline('ws-1')).toBe(true)
    c.send({
      op: 'readings',
      id: 8,
      readings: [
        { sensor: 'a', value: 1 },
        { sensor: 'b', value: 2, ts: 1000 },
      ],
    })
    expect(await c.next()).toEqual({ op: 'ack', id: 8, accepted: 2 })
    expect(stored('ws-1')).toBe(3)
    c.ws.close()
    await c.closed
    await waitFor(() => !st.app.devices.isConnected('ws-1'))
  })

  it('answers bad messages with an error and keeps the socket open', async () => {
    const c = await connect('deviceId=ws-2')
    c.send('{not json')
    expect(await c.next()).toEqual({ op: 'error', code: 'BAD_JSON', message: 'Malformed JSON' })
    c.send({ op: 'dance', id: 3 })
    expect(await c.next()).toMatchObject({
      op: 'error',
      id: 3,
      code: 'UNKNOWN_OP',
      message: expect.stringContaining('dance'),
    })
    c.send({ op: 'reading', id: 4, sensor: 't', value: 'hot' })
    expect(await c.next()).toMatchObject({
      op: 'error',
      id: 4,
      code: 'VALIDATION',
      message: expect.stringContaining('value'),
    })
    c.send({ op: 'readings', id: 5, readings: [{ sensor: 't', value: 1 }, { sensor: 't' }] })
    expect(await c.next()).toMatchObject({
      op: 'error',
      id: 5,
      code: 'VALIDATION',
      message: expect.stringContaining('readings.1'),
    })
    c.send('[1,2]')
    expect(await c.next()).toMatchObject({ op: 'error', code: 'VALIDATION' })
    c.send({ id: 10 })
    expect(await c.next()).toMatchObject({ op: 'error', id: 10, code: 'UNKNOWN_OP', message: 'Missing op' })
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await c.next()).toMatchObject({
      op: 'error',
      code: 'BAD_JSON',
      message: expect.stringContaining('Binary'),
    })
    c.send('{"op":"reading","sensor":"t","value":1,"__proto__":{"x":1},"id":6}')
    expect(await c.next()).toMatchObject({ op: 'error', id: 6, code: 'VALIDATION' })
    expect(stored('ws-2')).toBe(0)
    // Still open and serving.
    c.send({ op: 'heartbeat', id: 9 })
    const hb = await c.next()
    expect(hb).toMatchObject({ op: 'ack', id: 9 })
    expect(Math.abs((hb.serverTime as number) - Date.now())).toBeLessThan(60_000)
    c.ws.close()
    await c.closed
  })

  it('replaces the first socket when the same device connects again', async () => {
    const first = await connect('deviceId=ws-3')
    const second = await connect('deviceId=ws-3')
    expect((await first.closed).code).toBe(4000)
    second.send({ op: 'heartbeat', id: 1 })
    expect(await second.next()).toMatchObject({ op: 'ack', id: 1 })
    expect(st.app.devices.isConnected('ws-3')).toBe(true)
    second.ws.close()
    await second.closed
    await waitFor(() => !st.app.devices.isConnected('ws-3'))
  })

  it('refuses the upgrade without a valid key, or without a device id', async () => {
    await expect(connect('deviceId=ws-4', { 'x-device-key': 'not-the-key-at-all' })).rejects.toThrow(
      'HTTP 401',
    )
    await expect(connect('deviceId=ws-4', {})).rejects.toThrow('HTTP 401')
    await expect(connect('', key)).rejects.toThrow('HTTP 400')
    await expect(connect('deviceId=../x', key)).rejects.toThrow('HTTP 400')
  })

  it('binds a device token to its device', async () => {
    // The device exists once it has been heard from.
    const c = await connect('deviceId=ws-tok')
    c.ws.close()
    await c.closed
    const admin = await st.login()
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/v1/devices/ws-tok/token',
      headers: { authorization: `Bearer ${admin}` },
    })
    const auth = { authorization: `Bearer ${res.json().data.token as string}` }
    await expect(connect('deviceId=other', auth)).rejects.toThrow('HTTP 403')
    const t = await connect('', auth)
    t.send({ op: 'reading', id: 1, sensor: 't', value: 5 })
    expect(await t.next()).toMatchObject({ op: 'ack', id: 1 })
    expect(stored('ws-tok')).toBe(1)
    // Revoking the token closes the socket it opened.
    await st.app.inject({
      method: 'DELETE',
      url: '/api/v1/devices/ws-tok/token',
      headers: { authorization: `Bearer ${admin}` },
    })
    expect((await t.closed).code).toBe(4002)
    await expect(connect('', auth)).rejects.toThrow('HTTP 401')
  })

  it('pushes buzzer commands and takes the device acknowledgement', async () => {
    const c = await connect('deviceId=ws-buzz')
    const guard = await st.guardToken()
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/v1/buzzer/ws-buzz',
      headers: { authorization: `Bearer ${guard}` },
      payload: { action: 'on', durationMs: 3000 },
    })
    expect(res.statusCode).toBe(200)
    const cmd = await c.next()
    expect(cmd).toMatchObject({ op: 'buzzer', action: 'on', durationMs: 3000 })
    c.send({ op: 'buzzer-ack', id: 2, requestId: cmd.requestId, ok: true })
    expect(await c.next()).toEqual({ op: 'ack', id: 2 })
    const status = await st.app.inject({
      method: 'GET',
      url: `/api/v1/buzzer/requests/${cmd.requestId as string}`,
      headers: { authorization: `Bearer ${guard}` },
    })
    expect(status.json().data.status).toBe('acknowledged')
    c.send({ op: 'buzzer-ack', id: 3, requestId: 'no-such-request', ok: true })
    expect(await c.next()).toMatchObject({ op: 'error', id: 3, code: 'NOT_FOUND' })
    c.ws.close()
    await c.closed
  })

  it('terminates a peer that stops answering pings', async () => {
    // Its own station with a short ping interval, so a busy machine cannot make the other tests' peers look dead.
    const pinging = await createTestStation({ STATION_WS_PING_MS: '200' })
    try {
      const { port } = await pinging.start()
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/device?deviceId=ws-dead`, {
        headers: key,
        autoPong: false,
      })
      const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)))
      await new Promise((r) => ws.on('open', r))
      expect(pinging.app.devices.isConnected('ws-dead')).toBe(true)
      expect(await closed).toBe(1006)
      await waitFor(() => !pinging.app.devices.isConnected('ws-dead'))
    } finally {
      await pinging.close()
    }
  })

  it('drops a device that stops reading instead of buffering for it without bound', async () => {
    const c = await connect('deviceId=ws-slow')
    c.ws.pause()
    const big = 'x'.repeat(16 * 1024)
    let sent = 0
    while (st.app.devices.send('ws-slow', { op: 'error', code: 'INTERNAL', message: big }) && sent < 20_000)
      sent++
    // The socket buffer bound (1 MiB beyond what the kernel takes) cut it off long before 320 MB.
    expect(sent).toBeLessThan(20_000)
    await waitFor(() => !st.app.devices.isConnected('ws-slow'))
    c.ws.resume()
    expect((await c.closed).code).toBe(1006)
  })

  it('refuses connections past the limit with 503', async () => {
    const clients = []
    for (let i = 0; i < 4; i++) clients.push(await connect(`deviceId=lim-${i}`))
    await expect(connect('deviceId=lim-9')).rejects.toThrow('HTTP 503')
    // A device replacing its own socket is not a new connection.
    const again = await connect('deviceId=lim-0')
    expect((await clients[0]!.closed).code).toBe(4000)
    for (const c of [again, ...clients.slice(1)]) c.ws.close()
    await Promise.all([again, ...clients.slice(1)].map((c) => c.closed))
  })
})

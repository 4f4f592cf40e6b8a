import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createTestStation, TEST_DEVICE_KEY } from '../server/test-helper'
import { hashToken } from '../auth/tokens'
import { waitFor } from '../ws/live-test-client'
import type { BuzzerRequest, StationEvent } from '../../shared/schemas/entities'

const KEY = { 'x-device-key': TEST_DEVICE_KEY }

async function setup(env: Record<string, string> = {}) {
  const st = await createTestStation(env)
  const guard = await st.guardToken()
  const g = { authorization: `Bearer ${guard}` }
  const addDevice = async (id: string) => {
    const now = Date.now()
    st.app.db
      .prepare('INSERT INTO devices (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)')
      .run(id, id, now, now)
    // A first poll: the device is heard from (online), with nothing waiting yet.
    const res = await st.app.inject({ method: 'GET', url: `/api/v1/buzzer/${id}/pending`, headers: KEY })
    expect(res.statusCode).toBe(200)
    expect(res.json().data.commands).toEqual([])
  }
  const trigger = (deviceId: string, payload: object = { action: 'on', durationMs: 3000 }) =>
    st.app.inject({ method: 'POST', url: `/api/v1/buzzer/${deviceId}`, headers: g, payload })
  const status = async (id: string) => {
    const res = await st.app.inject({ method: 'GET', url: `/api/v1/buzzer/requests/${id}`, headers: g })
    expect(res.statusCode).toBe(200)
    return res.json().data as BuzzerRequest
  }
  const ack = (id: string, payload: object, headers: Record<string, string> = KEY) =>
    st.app.inject({ method: 'POST', url: `/api/v1/buzzer/requests/${id}/ack`, headers, payload })
  const eventsOf = async (type: string) => {
    const res = await st.app.inject({ method: 'GET', url: '/api/events', headers: g })
    return (res.json().data.events as StationEvent[]).filter((e) => e.type === type)
  }
  return { st, g, addDevice, trigger, status, ack, eventsOf }
}

describe('buzzers over the HTTP poll path', () => {
  let t: Awaited<ReturnType<typeof setup>>
  beforeAll(async () => {
    t = await setup()
    await t.addDevice('siren-1')
    await t.addDevice('siren-2')
  })
  afterAll(() => t.st.close())

  it('queued → sent (poll) → acknowledged, each change committed', async () => {
    const res = await t.trigger('siren-1', { action: 'on', durationMs: 3000, pattern: 'pulse' })
    expect(res.statusCode).toBe(200)
    const { requestId, status } = res.json().data
    expect(status).toBe('queued')
    expect(t.st.app.db.prepare('SELECT status FROM buzzer_requests WHERE id = ?').get(requestId)).toEqual({
      status: 'queued',
    })
    expect(await t.status(requestId)).toMatchObject({
      deviceId: 'siren-1',
      action: 'on',
      durationMs: 3000,
      pattern: 'pulse',
      status: 'queued',
      requestedBy: 'guard1',
    })

    const poll = await t.st.app.inject({ method: 'GET', url: '/api/v1/buzzer/siren-1/pending', headers: KEY })
    expect(poll.statusCode).toBe(200)
    expect(poll.json().data.commands).toEqual([
      { op: 'buzzer', requestId, action: 'on', durationMs: 3000, pattern: 'pulse' },
    ])
    const sent = await t.status(requestId)
    expect(sent.status).toBe('sent')
    expect(sent.sentAt).not.toBeNull()

    // Not confirmed yet: the next poll repeats it.
    const again = await t.st.app.inject({
      method: 'GET',
      url: '/api/v1/buzzer/siren-1/pending',
      headers: KEY,
    })
    expect(again.json().data.commands.map((c: { requestId: string }) => c.requestId)).toEqual([requestId])

    const done = await t.ack(requestId, { ok: true })
    expect(done.statusCode).toBe(200)
    expect(done.json().data).toMatchObject({ status: 'acknowledged', error: null })
    expect((await t.status(requestId)).acknowledgedAt).not.toBeNull()
    expect(t.st.app.db.prepare('SELECT status FROM buzzer_requests WHERE id = ?').get(requestId)).toEqual({
      status: 'acknowledged',
    })
    const empty = await t.st.app.inject({
      method: 'GET',
      url: '/api/v1/buzzer/siren-1/pending',
      headers: KEY,
    })
    expect(empty.json().data.commands).toEqual([])

    // The same confirmation again is harmless; a contradicting one is refused.
    expect((await t.ack(requestId, { ok: true })).statusCode).toBe(200)
    expect((await t.ack(requestId, { ok: false })).statusCode).toBe(409)
  })

  it('a device answering ok:false fails the request and records buzzer.failed', async () => {
    const { requestId } = (await t.trigger('siren-2', { action: 'off' })).json().data
    const res = await t.ack(requestId, { ok: false, error: 'relay stuck' })
    expect(res.statusCode).toBe(200)
    expect(res.json().data).toMatchObject({ status: 'failed', error: 'relay stuck' })
    const ev = await waitFor(
      async () =>
        (await t.eventsOf('buzzer.failed')).find(
          (e) => e.sourceId === 'siren-2' && e.message.includes('relay stuck'),
        ),
      'buzzer.failed event',
    )
    // What the guard reads says what failed, never the request's id.
    expect(ev.message).toBe('Buzzer siren-2 failed to turn off: relay stuck')
    expect(ev).toMatchObject({
      sourceKind: 'buzzer',
      sourceId: 'siren-2',
      severity: 'warning',
      ackedAt: null,
    })
    expect((await t.ack(requestId, { ok: true })).statusCode).toBe(409)
  })

  it('refuses a command for an offline device (409 DEVICE_OFFLINE): it could only expire', async () => {
    const now = Date.now()
    t.st.app.db
      .prepare('INSERT INTO devices (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)')
      .run('siren-off', 'siren-off', now, now)
    const res = await t.trigger('siren-off')
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ success: false, code: 'DEVICE_OFFLINE' })
    expect(
      t.st.app.db.prepare("SELECT count(*) AS n FROM buzzer_requests WHERE device_id = 'siren-off'").get(),
    ).toEqual({
      n: 0,
    })
  })

  it('lists a device’s requests, most recent first', async () => {
    const a = (await t.trigger('siren-2', { action: 'on' })).json().data.requestId
    const b = (await t.trigger('siren-2', { action: 'off' })).json().data.requestId
    const res = await t.st.app.inject({
      method: 'GET',
      url: '/api/v1/buzzer/siren-2/requests?limit=2',
      headers: t.g,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().data.map((r: BuzzerRequest) => r.id)).toEqual([b, a])
  })

  it('refuses unknown devices, bad bodies and the wrong callers', async () => {
    expect((await t.trigger('no-such-device')).statusCode).toBe(404)
    expect((await t.trigger('siren-1', { action: 'loud' })).statusCode).toBe(400)
    expect((await t.trigger('siren-1', { action: 'on', durationMs: -1 })).statusCode).toBe(400)
    expect((await t.trigger('siren-1', { action: 'on', extra: 1 })).statusCode).toBe(400)
    const asDevice = await t.st.app.inject({
      method: 'POST',
      url: '/api/v1/buzzer/siren-1',
      headers: KEY,
      payload: { action: 'on' },
    })
    expect(asDevice.statusCode).toBe(403)
    const guardPolls = await t.st.app.inject({
      method: 'GET',
      url: '/api/v1/buzzer/siren-1/pending',
      headers: t.g,
    })
    expect(guardPolls.statusCode).toBe(403)
    const anon = await t.st.app.inject({ method: 'GET', url: '/api/v1/buzzer/siren-1/pending' })
    expect(anon.statusCode).toBe(401)
    expect((await t.ack('no-such-request', { ok: true })).statusCode).toBe(404)
    const unknown = await t.st.app.inject({
      method: 'GET',
      url: '/api/v1/buzzer/requests/nope',
      headers: t.g,
    })
    expect(unknown.statusCode).toBe(404)
  })

  it('a device token reads and confirms only its own commands', async () => {
    const token = 'device-token-of-siren-2-for-tests'
    t.st.app.db.prepare('UPDATE devices SET token_hash = ? WHERE id = ?').run(hashToken(token), 'siren-2')
    const dev = { authorization: `Bearer ${token}` }
    const { requestId } = (await t.trigger('siren-1', { action: 'on' })).json().data
    const other = await t.st.app.inject({
      method: 'GET',
      url: '/api/v1/buzzer/siren-1/pending',
      headers: dev,
    })
    expect(other.statusCode).toBe(403)
    expect((await t.ack(requestId, { ok: true }, dev)).statusCode).toBe(403)
    const own = await t.st.app.inject({ method: 'GET', url: '/api/v1/buzzer/siren-2/pending', headers: dev })
    expect(own.statusCode).toBe(200)
    // With the site key, a stated deviceId must be the target's.
    const wrong = await t.st.app.inject({
      method: 'POST',
      url: `/api/v1/buzzer/requests/${requestId}/ack?deviceId=siren-2`,
      headers: KEY,
      payload: { ok: true },
    })
    expect(wrong.statusCode).toBe(403)
    expect((await t.status(requestId)).status).toBe('queued')
  })
})

describe('buzzer expiry', () => {
  let t: Awaited<ReturnType<typeof setup>>
  beforeAll(async () => {
    t = await setup({ STATION_BUZZER_TIMEOUT_MS: '300' })
    await t.addDevice('siren-slow')
  })
  afterAll(() => t.st.close())

  it('an unconfirmed command expires and records buzzer.expired; a late ack is refused', async () => {
    const { requestId } = (await t.trigger('siren-slow')).json().data
    await t.st.app.inject({ method: 'GET', url: '/api/v1/buzzer/siren-slow/pending', headers: KEY })
    const expired = await waitFor(async () => {
      const s = await t.status(requestId)
      return s.status === 'expired' && s
    }, 'the request to expire')
    expect(expired.error).toMatch(/no confirmation/i)
    const ev = await waitFor(
      async () => (await t.eventsOf('buzzer.expired')).find((e) => e.sourceId === 'siren-slow'),
      'buzzer.expired event',
    )
    expect(ev.message).not.toContain(requestId)
    expect((await t.ack(requestId, { ok: true })).statusCode).toBe(409)
    const poll = await t.st.app.inject({
      method: 'GET',
      url: '/api/v1/buzzer/siren-slow/pending',
      headers: KEY,
    })
    expect(poll.json().data.commands).toEqual([])
  })
})

describe('buzzers pushed over the device WebSocket', () => {
  let t: Awaited<ReturnType<typeof setup>>
  let base: string
  beforeAll(async () => {
    t = await setup()
    base = (await t.st.start()).url.replace(/^http/, 'ws')
  })
  afterAll(() => t.st.close())

  const connectDevice = async (id: string) => {
    const ws = new WebSocket(`${base}/ws/device?deviceId=${id}`, { headers: KEY })
    const received: { op: string; requestId?: string }[] = []
    ws.on('message', (d) => received.push(JSON.parse(String(d))))
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return { ws, received }
  }

  it('pushes at once to a connected device (sent), which confirms over the socket', async () => {
    await t.addDevice('siren-ws')
    const dev = await connectDevice('siren-ws')
    await waitFor(() => t.st.app.devices.isConnected('siren-ws'), 'the device socket')
    const res = await t.trigger('siren-ws', { action: 'on', durationMs: 1000 })
    expect(res.json().data.status).toBe('sent')
    const { requestId } = res.json().data
    const cmd = await waitFor(() => dev.received.find((m) => m.op === 'buzzer'), 'the pushed command')
    expect(cmd).toEqual({ op: 'buzzer', requestId, action: 'on', durationMs: 1000 })
    dev.ws.send(JSON.stringify({ op: 'buzzer-ack', requestId, ok: true }))
    await waitFor(async () => (await t.status(requestId)).status === 'acknowledged', 'the acknowledgement')
    dev.ws.close()
  })

  it('buzzes a device right after its first connection (its row is still being written)', async () => {
    const dev = await connectDevice('siren-new')
    await waitFor(() => t.st.app.devices.isConnected('siren-new'), 'the device socket')
    const res = await t.trigger('siren-new', { action: 'on', durationMs: 500 })
    expect(res.statusCode).toBe(200)
    expect(res.json().data.status).toBe('sent')
    await waitFor(() => dev.received.find((m) => m.op === 'buzzer'), 'the pushed command')
    dev.ws.close()
  })

  it('pushes what waited as soon as the device connects', async () => {
    await t.addDevice('siren-late')
    const { requestId, status } = (await t.trigger('siren-late', { action: 'off' })).json().data
    expect(status).toBe('queued')
    const dev = await connectDevice('siren-late')
    const cmd = await waitFor(() => dev.received.find((m) => m.op === 'buzzer'), 'the pushed command')
    expect(cmd.requestId).toBe(requestId)
    await waitFor(async () => (await t.status(requestId)).status === 'sent', 'sent')
    dev.ws.close()
  })
})

describe('a command that expired while the station was down', () => {
  it('is expired at start-up: never pushed to the reconnecting device, and its late ack is refused', async () => {
    const env = { STATION_BUZZER_TIMEOUT_MS: '500' }
    const before = await setup(env)
    await before.addDevice('siren-restart')
    const { requestId } = (await before.trigger('siren-restart')).json().data
    // Sent (listed to the device's poll), then the station stops before anyone confirms it.
    await before.st.app.inject({ method: 'GET', url: '/api/v1/buzzer/siren-restart/pending', headers: KEY })
    const sent = await before.status(requestId)
    expect(sent.status).toBe('sent')
    await before.st.stop()
    await waitFor(() => Date.now() > sent.expiresAt, 'the deadline to pass while the station is down')

    const after = await createTestStation({ ...env, STATION_DATA_DIR: before.st.dataDir })
    try {
      // The device reconnects as soon as the station listens.
      const { url } = await after.start()
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/device?deviceId=siren-restart`, {
        headers: KEY,
      })
      const received: { op: string; id?: number }[] = []
      ws.on('message', (d) => received.push(JSON.parse(String(d))))
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve())
        ws.once('error', reject)
      })
      // Whatever waits for the device is pushed on connect, before the heartbeat's answer.
      ws.send(JSON.stringify({ op: 'heartbeat', id: 1 }))
      await waitFor(() => received.some((m) => m.op === 'ack' && m.id === 1), 'the heartbeat ack')
      expect(received.filter((m) => m.op === 'buzzer')).toEqual([])

      const g = { authorization: `Bearer ${await after.login('guard1', 'guard-password-1')}` }
      const status = async () =>
        (
          await after.app.inject({ method: 'GET', url: `/api/v1/buzzer/requests/${requestId}`, headers: g })
        ).json().data as BuzzerRequest

      const late = await after.app.inject({
        method: 'POST',
        url: `/api/v1/buzzer/requests/${requestId}/ack?deviceId=siren-restart`,
        headers: KEY,
        payload: { ok: true },
      })
      expect(late.statusCode).toBe(409)
      await waitFor(async () => (await status()).status === 'expired', 'expired')
      ws.close()
    } finally {
      await after.close()
    }
  })
})

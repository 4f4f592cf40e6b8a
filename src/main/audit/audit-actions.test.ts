/**
 * Every covered action is recorded against a real station: who (user id and name), from where (the
 * client's IP, `desktop` over the IPC path), what, the target, before/after, and never a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import type { InjectOptions } from 'fastify'
import {
  createTestStation,
  TEST_ADMIN_PASSWORD,
  TEST_DEVICE_KEY,
  type TestStation,
} from '../server/test-helper'
import { databasePath } from '../database/open'
import { createDispatcher } from '../ipc/dispatcher'
import type { AuditEntry } from '../../shared/schemas/audit'

const IP = '10.20.30.40'
const CAMERA_PASSWORD = 'cam-Secret-pw-77'
const URL_TOKEN = 'url-token-99887766'

describe('audit log: recorded actions', () => {
  let st: TestStation
  let admin: string
  let adminId: number
  const call = (opts: InjectOptions, token = admin) =>
    st.app.inject({
      remoteAddress: IP,
      ...opts,
      headers: { authorization: `Bearer ${token}`, ...opts.headers },
    })
  const entries = async (query = ''): Promise<AuditEntry[]> => {
    const res = await st.app.inject({
      method: 'GET',
      url: `/api/audit?limit=1000${query}`,
      headers: { authorization: `Bearer ${admin}` },
    })
    expect(res.statusCode).toBe(200)
    return res.json().data.entries as AuditEntry[]
  }
  const last = async (action: string) => (await entries(`&action=${action}`))[0]
  /** Every stored audit column, as one text: what must never hold a secret. */
  const rawLog = () => {
    const db = new Database(databasePath(st.dataDir), { readonly: true })
    try {
      return JSON.stringify(db.prepare('SELECT * FROM audit_log').all())
    } finally {
      db.close()
    }
  }

  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
    adminId = st.app.auth.users.findByUsername('admin')!.id
  })
  afterAll(() => st.close())

  it('records sign-in, failed sign-in and sign-out with the address they came from', async () => {
    const ok = await st.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: IP,
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    })
    expect(ok.statusCode).toBe(200)
    const token = ok.json().data.token as string
    const bad = await st.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.9.9.9',
      payload: { username: 'admin', password: 'not-the-password' },
    })
    expect(bad.statusCode).toBe(401)
    expect((await call({ method: 'POST', url: '/api/auth/logout' }, token)).statusCode).toBe(200)

    expect(await last('auth.sign-in')).toMatchObject({
      actorKind: 'user',
      actorId: adminId,
      actorName: 'admin',
      source: IP,
      targetKind: 'user',
      targetId: String(adminId),
    })
    expect(await last('auth.sign-in-failed')).toMatchObject({
      actorKind: 'anonymous',
      actorId: null,
      actorName: 'admin',
      source: '10.9.9.9',
      before: null,
      after: null,
    })
    expect(await last('auth.sign-out')).toMatchObject({
      actorName: 'admin',
      source: IP,
      targetId: String(adminId),
    })
    expect(rawLog()).not.toContain(token)
    expect(rawLog()).not.toContain('not-the-password')
  })

  it('records camera create, update and delete with before/after and never the credentials', async () => {
    const created = await call({
      method: 'POST',
      url: '/api/cameras',
      payload: {
        name: 'Gate',
        kind: 'rtsp',
        url: `rtsp://viewer:${CAMERA_PASSWORD}@10.0.0.5:554/stream?token=${URL_TOKEN}`,
        password: CAMERA_PASSWORD,
        username: 'viewer',
      },
    })
    expect(created.statusCode, created.body).toBe(201)
    const id = created.json().data.id as number
    expect(
      (await call({ method: 'PUT', url: `/api/cameras/${id}`, payload: { name: 'Main gate' } })).statusCode,
    ).toBe(200)
    expect((await call({ method: 'DELETE', url: `/api/cameras/${id}` })).statusCode).toBe(200)

    const create = await last('camera.create')
    expect(create).toMatchObject({
      actorId: adminId,
      actorName: 'admin',
      source: IP,
      targetKind: 'camera',
      targetId: String(id),
      before: null,
      after: { id, name: 'Gate', kind: 'rtsp', hasCredentials: true },
    })
    expect(await last('camera.update')).toMatchObject({
      targetId: String(id),
      before: { name: 'Gate' },
      after: { name: 'Main gate' },
    })
    expect(await last('camera.delete')).toMatchObject({
      targetId: String(id),
      before: { name: 'Main gate' },
      after: null,
    })
    const raw = rawLog()
    expect(raw).not.toContain(CAMERA_PASSWORD)
    expect(raw).not.toContain(URL_TOKEN)
  })

  it('records user create, role change, password change and delete, without passwords', async () => {
    const created = await call({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'nightguard', password: 'Night-shift-pw-1', role: 'guard' },
    })
    expect(created.statusCode).toBe(201)
    const id = created.json().data.id as number
    await call({ method: 'PUT', url: `/api/users/${id}`, payload: { role: 'admin' } })
    await call({ method: 'PUT', url: `/api/users/${id}`, payload: { password: 'Another-night-pw-2' } })
    const own = await st.login('nightguard', 'Another-night-pw-2')
    const changed = await call(
      {
        method: 'PUT',
        url: '/api/auth/password',
        payload: { currentPassword: 'Another-night-pw-2', newPassword: 'Third-night-pw-3' },
      },
      own,
    )
    expect(changed.statusCode).toBe(200)
    await call({ method: 'DELETE', url: `/api/users/${id}` })

    expect(await last('user.create')).toMatchObject({
      targetId: String(id),
      after: { id, username: 'nightguard', role: 'guard' },
    })
    expect(await last('user.update')).toMatchObject({ before: { role: 'guard' }, after: { role: 'admin' } })
    const passwords = await entries('&action=user.password')
    expect(passwords.map((e) => e.actorName)).toEqual(['nightguard', 'admin'])
    expect(passwords[1]).toMatchObject({ targetId: String(id), after: { passwordChanged: true } })
    expect(await last('user.delete')).toMatchObject({
      targetId: String(id),
      before: { username: 'nightguard' },
    })
    const raw = rawLog()
    for (const pw of ['Night-shift-pw-1', 'Another-night-pw-2', 'Third-night-pw-3'])
      expect(raw).not.toContain(pw)
    expect(raw).not.toContain('scrypt')
  })

  it('records device changes and device tokens (never the token), buzzers and acknowledgements', async () => {
    const ingest = await st.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/sensor-data',
      headers: { 'x-device-key': TEST_DEVICE_KEY },
      payload: { deviceId: 'door-1', sensor: 'contact', value: 1, ts: Date.now() },
    })
    expect(ingest.statusCode).toBe(200)
    await call({ method: 'PUT', url: '/api/v1/devices/door-1', payload: { name: 'Back door' } })
    const issued = await call({ method: 'POST', url: '/api/v1/devices/door-1/token' })
    const deviceToken = issued.json().data.token as string
    await call({ method: 'DELETE', url: '/api/v1/devices/door-1/token' })
    const buzz = await call({
      method: 'POST',
      url: '/api/v1/buzzer/door-1',
      payload: { action: 'on', durationMs: 2000 },
    })
    expect(buzz.statusCode, buzz.body).toBe(200)

    const event = await st.app.events.record({
      type: 'device.offline',
      severity: 'warning',
      sourceKind: 'device',
      sourceId: 'door-1',
      message: 'Back door went offline',
    })
    const guard = await st.guardToken()
    const ack = await call(
      { method: 'POST', url: `/api/events/${event.id}/ack`, payload: { note: 'checked' } },
      guard,
    )
    expect(ack.statusCode).toBe(200)
    await call({ method: 'DELETE', url: '/api/v1/devices/door-1' })

    expect(await last('device.update')).toMatchObject({
      targetKind: 'device',
      targetId: 'door-1',
      after: { name: 'Back door' },
    })
    const tokens = await entries('&action=token.*')
    expect(tokens.map((e) => [e.action, e.targetKind, e.targetId])).toEqual([
      ['token.revoke', 'device-token', 'door-1'],
      ['token.issue', 'device-token', 'door-1'],
    ])
    expect(await last('buzzer.trigger')).toMatchObject({
      targetKind: 'device',
      targetId: 'door-1',
      after: { action: 'on', durationMs: 2000, requestId: buzz.json().data.requestId },
    })
    expect(await last('event.acknowledge')).toMatchObject({
      actorName: 'guard1',
      targetKind: 'event',
      targetId: String(event.id),
      before: { ackedAt: null },
      after: { ackedBy: 'guard1', ackNote: 'checked', alreadyAcknowledged: false },
    })
    expect(await last('device.delete')).toMatchObject({ targetId: 'door-1', before: { name: 'Back door' } })
    expect(rawLog()).not.toContain(deviceToken)
  })

  it('records areas, station settings, the metrics token and cache commands', async () => {
    const area = await call({ method: 'POST', url: '/api/areas', payload: { name: 'Yard' } })
    const areaId = area.json().data.id as number
    await call({ method: 'PUT', url: `/api/areas/${areaId}`, payload: { name: 'Yard north' } })
    await call({ method: 'DELETE', url: `/api/areas/${areaId}` })
    const saved = await call({ method: 'PUT', url: '/api/settings/station', payload: { cacheTtlMs: 4321 } })
    expect(saved.statusCode, saved.body).toBe(200)
    const metrics = await call({ method: 'POST', url: '/api/settings/metrics-token' })
    const metricsToken = metrics.json().data.token as string
    await call({ method: 'DELETE', url: '/api/settings/metrics-token' })
    await call({ method: 'POST', url: '/api/cache/clear' })

    expect(await last('area.update')).toMatchObject({
      before: { name: 'Yard' },
      after: { name: 'Yard north' },
    })
    expect(await last('area.delete')).toMatchObject({
      targetId: String(areaId),
      before: { name: 'Yard north' },
    })
    expect(await last('settings.update')).toMatchObject({
      targetKind: 'settings',
      targetId: 'station',
      before: { cacheTtlMs: null },
      after: { cacheTtlMs: 4321, changed: ['cacheTtlMs'] },
    })
    expect((await entries('&action=token.*')).slice(0, 2).map((e) => [e.action, e.targetKind])).toEqual([
      ['token.revoke', 'metrics-token'],
      ['token.issue', 'metrics-token'],
    ])
    expect(await last('cache.clear')).toMatchObject({ targetKind: 'cache' })
    expect(rawLog()).not.toContain(metricsToken)
  })

  it('records what the desktop window does as coming from "desktop"', async () => {
    const dispatch = createDispatcher(st.app)
    const res = await dispatch('areas:create', { name: 'Lobby' }, admin)
    expect(res.ok).toBe(true)
    expect(await last('area.create')).toMatchObject({
      source: 'desktop',
      actorName: 'admin',
      after: { name: 'Lobby' },
    })
    // The header alone, from a client that is not the in-process path, changes nothing... over a socket.
  })

  it('records nothing for refused or failed actions', async () => {
    const before = (await entries()).length
    const guard = await st.guardToken()
    expect(
      (await call({ method: 'POST', url: '/api/areas', payload: { name: 'Nope' } }, guard)).statusCode,
    ).toBe(403)
    expect((await call({ method: 'DELETE', url: '/api/cameras/9999' })).statusCode).toBe(404)
    expect((await call({ method: 'POST', url: '/api/areas', payload: { name: '' } })).statusCode).toBe(400)
    expect((await entries()).length).toBe(before)
  })

  it('covers every mutating route for signed-in users, except the listed ones', () => {
    const mutating = st.app.routeTable.filter(
      (r) =>
        ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) &&
        r.auth !== 'device' &&
        r.auth !== 'public' &&
        !r.websocket,
    )
    const audited = new Set(st.app.audit.routes.map((r) => r.url))
    const unaudited = mutating.map((r) => `${r.method} ${r.url}`).filter((k) => !audited.has(k))
    // Tokens the brief leaves out: short-lived stream tokens and push camera tokens.
    expect(unaudited.sort()).toEqual([
      'DELETE /api/v1/stream/:cameraId/push-token',
      'POST /api/v1/stream/:cameraId/push-token',
      'POST /api/v1/stream/token',
    ])
  })
})

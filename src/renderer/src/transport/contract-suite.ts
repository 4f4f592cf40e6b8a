/**
 * The contract tests every transport must pass (web against a real station over 127.0.0.1, IPC over the
 * preload bridge and the main-process dispatcher). Each implementation's test file calls
 * `transportContract` with a harness that builds transports against a fresh station.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LiveMessage } from '../../../shared/contract'
import type { StationEvent } from '../../../shared/schemas/entities'
import { NO_ARGS, StationRequestError, type LiveStatus, type Transport } from './types'

export interface ContractHarness {
  /** A new transport with no session. */
  transport(): Transport
  adminPassword: string
  /** A guard account that exists on the station. */
  guard: { username: string; password: string }
  /** Publishes on the station's live hub, as the station's services do. */
  publish(msg: LiveMessage, opts?: { adminOnly?: boolean }): void
  /** Records a station event (committed, then published live). */
  recordEvent(message: string): Promise<StationEvent>
  close(): Promise<void>
}

/** Polls until `check` passes or the deadline passes (then fails with its last error). */
export async function eventually<T>(check: () => T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return check()
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

async function refusal(p: Promise<unknown>): Promise<StationRequestError> {
  try {
    await p
  } catch (err) {
    if (err instanceof StationRequestError) return err
    throw err
  }
  throw new Error('expected the station to refuse')
}

function collect(t: Transport) {
  const messages: LiveMessage[] = []
  const statuses: LiveStatus[] = []
  let unauthorized = 0
  t.subscribe((m) => messages.push(m))
  t.onStatus((s) => statuses.push(s))
  t.onUnauthorized(() => unauthorized++)
  return { messages, statuses, unauthorized: () => unauthorized }
}

export function transportContract(name: string, setup: () => Promise<ContractHarness>): void {
  describe(`${name} transport satisfies the station contract`, () => {
    let h: ContractHarness
    const open: Transport[] = []
    const make = () => {
      const t = h.transport()
      open.push(t)
      return t
    }
    const signIn = async (username = 'admin', password = h.adminPassword) => {
      const t = make()
      const res = await t.request('auth:login', { username, password })
      t.setToken(res.token)
      return { t, res }
    }

    beforeAll(async () => {
      h = await setup()
    })
    afterAll(async () => {
      for (const t of open) t.close()
      await h?.close()
    })

    it('signs in and answers who is signed in', async () => {
      const { t, res } = await signIn()
      expect(res.user).toEqual({ username: 'admin', role: 'admin' })
      expect(typeof res.token).toBe('string')
      const me = await t.request('auth:me', NO_ARGS)
      expect(me).toMatchObject({ username: 'admin', role: 'admin' })
    })

    it("refuses a wrong password with the station's message", async () => {
      const err = await refusal(
        make().request('auth:login', { username: 'admin', password: 'wrong-password' }),
      )
      expect(err.status).toBe(401)
      expect(err.code).toBe('BAD_LOGIN')
      expect(err.message).toMatch(/wrong username or password/i)
    })

    it('refuses calls without a session, and a guard calling admin operations', async () => {
      const anon = make()
      expect((await refusal(anon.request('cameras:list', NO_ARGS))).status).toBe(401)
      const { t } = await signIn(h.guard.username, h.guard.password)
      expect(await t.request('cameras:list', NO_ARGS)).toEqual(expect.any(Array))
      const err = await refusal(t.request('users:list', NO_ARGS))
      expect(err.status).toBe(403)
      expect(err.code).toBe('FORBIDDEN')
    })

    it('creates, updates, lists and deletes a camera (path parameters and bodies)', async () => {
      const { t } = await signIn()
      const created = await t.request('cameras:create', { name: 'Gate', kind: 'push' })
      expect(created).toMatchObject({ name: 'Gate', kind: 'push', hasCredentials: false })
      const updated = await t.request('cameras:update', { id: created.id, name: 'Main gate', fps: 5 })
      expect(updated).toMatchObject({ id: created.id, name: 'Main gate', fps: 5 })
      const list = await t.request('cameras:list', NO_ARGS)
      expect(list.map((c) => c.name)).toContain('Main gate')
      const streams = await t.request('stream:list', NO_ARGS)
      expect(streams.find((s) => s.cameraId === created.id)?.mjpeg).toBe(`/api/v1/stream/${created.id}/mjpeg`)
      expect(await t.request('cameras:delete', { id: created.id })).toMatchObject({ deleted: true })
      expect((await refusal(t.request('cameras:delete', { id: created.id }))).status).toBe(404)
    })

    it("passes the station's validation message through", async () => {
      const { t } = await signIn()
      const err = await refusal(
        t.request('cameras:create', { name: 'Bad', kind: 'mjpeg', url: 'file:///etc/passwd' }),
      )
      expect(err.status).toBe(400)
      expect(err.message.length).toBeGreaterThan(0)
      const err2 = await refusal(t.request('devices:get', { id: 'no-such-device' }))
      expect(err2.status).toBe(404)
    })

    it('reads and saves station settings (null restores the default), refusing what cannot be saved', async () => {
      const { t } = await signIn()
      const view = await t.request('settings:get', NO_ARGS)
      expect(view.settings.map((s) => s.key)).toContain('readPoolSize')
      // Whatever an environment variable of the test run fixes, some numeric setting is editable.
      const target = view.settings.find((s) => s.editable && typeof s.value === 'number')!
      expect(target).toBeDefined()
      const next = target.value === target.min ? Number(target.min) + 1 : Number(target.min ?? 1)
      const saved = await t.request('settings:update', { [target.key]: next })
      expect(saved.changed).toEqual([target.key])
      expect(saved.settings.find((s) => s.key === target.key)).toMatchObject({
        saved: next,
        source: 'saved',
        restartRequired: true,
        value: target.value,
      })
      expect(saved.restartRequired).toBe(true)

      // The station's own checks come back with its message: a bind address this computer does not have.
      const host = view.settings.find((s) => s.key === 'host')!
      if (host.editable) {
        const err = await refusal(t.request('settings:update', { host: '203.0.113.77' }))
        expect(err.status).toBe(400)
        expect(err.message).toMatch(/not an address of this computer/)
      }
      const invalid = await refusal(t.request('settings:update', { [target.key]: -5 }))
      expect(invalid.status).toBe(400)

      const restored = await t.request('settings:update', { [target.key]: null })
      // Back to the default: a restart is due only if the station runs with something else.
      expect(restored.settings.find((s) => s.key === target.key)).toMatchObject({
        saved: null,
        source: 'default',
        restartRequired: target.value !== target.default,
      })
      const { t: guard } = await signIn(h.guard.username, h.guard.password)
      expect((await refusal(guard.request('settings:get', NO_ARGS))).status).toBe(403)
    })

    it('sends query arguments (events, unacknowledged only) and acknowledges with a note', async () => {
      const { t } = await signIn(h.guard.username, h.guard.password)
      const ev = await h.recordEvent('contract test event')
      const unacked = await t.request('events:list', { unacked: true, limit: 50 })
      expect(unacked.events.map((e) => e.id)).toContain(ev.id)
      const acked = await t.request('events:ack', { id: ev.id, note: 'checked the gate' })
      expect(acked.event).toMatchObject({ id: ev.id, ackedBy: h.guard.username, ackNote: 'checked the gate' })
      expect(acked.alreadyAcknowledged).toBe(false)
      const after = await t.request('events:list', { unacked: true, limit: 50 })
      expect(after.events.map((e) => e.id)).not.toContain(ev.id)
    })

    it('acknowledges many events in one request, with one note', async () => {
      const { t } = await signIn(h.guard.username, h.guard.password)
      const one = await h.recordEvent('contract bulk one')
      const two = await h.recordEvent('contract bulk two')
      const res = await t.request('events:ackMany', { ids: [one.id, two.id], note: 'shift check' })
      expect(res.acknowledged).toBe(2)
      expect(res.events.map((e) => [e.id, e.ackedBy, e.ackNote])).toEqual([
        [one.id, h.guard.username, 'shift check'],
        [two.id, h.guard.username, 'shift check'],
      ])
    })

    it('delivers live messages while signed in, admin-only ones to admins only', async () => {
      const admin = await signIn()
      const guard = await signIn(h.guard.username, h.guard.password)
      const a = collect(admin.t)
      const g = collect(guard.t)
      await eventually(() => expect(a.statuses.at(-1)?.state).toBe('open'))
      await eventually(() => expect(g.statuses.at(-1)?.state).toBe('open'))
      const ev = await h.recordEvent('live contract event')
      h.publish({ type: 'stats', stats: { marker: 1 } }, { adminOnly: true })
      await eventually(() => {
        expect(a.messages.some((m) => m.type === 'event' && m.event.id === ev.id)).toBe(true)
        expect(g.messages.some((m) => m.type === 'event' && m.event.id === ev.id)).toBe(true)
        expect(a.messages.some((m) => m.type === 'stats' && m.stats.marker === 1)).toBe(true)
      })
      expect(g.messages.some((m) => m.type === 'stats' && m.stats.marker === 1)).toBe(false)
    })

    it('answers guards the camera view (never a camera URL), admins the admin view', async () => {
      const admin = await signIn()
      const guard = await signIn(h.guard.username, h.guard.password)
      const g = collect(guard.t)
      const a = collect(admin.t)
      await eventually(() => expect(g.statuses.at(-1)?.state).toBe('open'))
      await eventually(() => expect(a.statuses.at(-1)?.state).toBe('open'))
      const url = 'http://10.99.0.7/cgi/snap.jpg?user=admin&pw=contract-secret'
      const cam = await admin.t.request('cameras:create', { name: 'Contract url cam', kind: 'snapshot', url })
      expect(cam.url).toBe('http://10.99.0.7/cgi/snap.jpg?user=admin&pw=***')
      const mine = (await admin.t.request('cameras:list', NO_ARGS)).find((c) => c.id === cam.id)
      expect(mine?.url).toBe(cam.url)
      for (const op of ['cameras:list', 'cameras:active', 'stream:list'] as const) {
        const answer = JSON.stringify(await guard.t.request(op, NO_ARGS))
        expect(answer).toContain('Contract url cam')
        expect(answer).not.toContain('10.99.0.7')
      }
      await eventually(() => {
        expect(a.messages.some((m) => m.type === 'camera.config' && m.camera.url === cam.url)).toBe(true)
        expect(g.messages.some((m) => m.type === 'camera.status' && m.cameraId === cam.id)).toBe(true)
      })
      expect(JSON.stringify(g.messages)).not.toContain('10.99.0.7')
      await admin.t.request('cameras:delete', { id: cam.id })
    })

    it("delivers an admin's camera changes live to other desks: added, changed, removed", async () => {
      const admin = await signIn()
      const guard = await signIn(h.guard.username, h.guard.password)
      const g = collect(guard.t)
      await eventually(() => expect(g.statuses.at(-1)?.state).toBe('open'))
      const cam = await admin.t.request('cameras:create', { name: 'Live desk cam', kind: 'push' })
      await admin.t.request('cameras:update', { id: cam.id, name: 'Live desk cam 2' })
      await admin.t.request('cameras:delete', { id: cam.id })
      await eventually(() => {
        const seen = g.messages.flatMap((m) =>
          m.type === 'camera.removed'
            ? [`removed ${m.cameraId}`]
            : m.type === 'camera.status' && m.camera
              ? [`${m.cameraId} ${m.camera.name}`]
              : [],
        )
        expect(seen).toEqual([`${cam.id} Live desk cam`, `${cam.id} Live desk cam 2`, `removed ${cam.id}`])
      })
    })

    it('stops live delivery when signed out', async () => {
      const { t } = await signIn()
      const c = collect(t)
      await eventually(() => expect(c.statuses.at(-1)?.state).toBe('open'))
      t.setToken(null)
      expect(c.statuses.at(-1)?.state).toBe('idle')
      const before = c.messages.length
      await h.recordEvent('after sign-out')
      await new Promise((r) => setTimeout(r, 200))
      expect(c.messages.length).toBe(before)
    })

    it('reports an expired or unknown session as unauthorized (requests and live)', async () => {
      const t = make()
      const c = collect(t)
      t.setToken('not-a-valid-session-token')
      await eventually(() => expect(c.unauthorized()).toBeGreaterThan(0))
      expect(c.statuses.at(-1)?.state).toBe('idle')
      const err = await refusal(t.request('auth:me', NO_ARGS))
      expect(err.status).toBe(401)
    })

    it('ends sessions on logout', async () => {
      const { t } = await signIn()
      expect(await t.request('auth:logout', NO_ARGS)).toMatchObject({ loggedOut: true })
      expect((await refusal(t.request('auth:me', NO_ARGS))).status).toBe(401)
    })
  })
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from '../server/test-helper'
import { GroupCommitQueue, QueueFullError } from '../queues/group-commit-queue'
import { waitFor } from '../ws/live-test-client'
import type { StationEvent } from '../../shared/schemas/entities'
import { eventNeedsAck } from '../../shared/constants'

describe('station events', () => {
  let st: TestStation
  let guard: string
  let admin: string

  beforeAll(async () => {
    st = await createTestStation()
    guard = await st.guardToken()
    admin = await st.login()
  })
  afterAll(() => st.close())

  const list = async (query = '', token = guard) => {
    const res = await st.app.inject({
      method: 'GET',
      url: `/api/events${query}`,
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.statusCode).toBe(200)
    return res.json().data as { events: StationEvent[]; total: number }
  }
  const ack = (id: number, payload?: object, token = guard) =>
    st.app.inject({
      method: 'POST',
      url: `/api/events/${id}/ack`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    })

  it('records an event (committed, with its id) and lists it', async () => {
    const e = await st.app.events.record({
      type: 'device.offline',
      severity: 'warning',
      sourceKind: 'device',
      sourceId: 'esp32-01',
      message: 'esp32-01 went offline',
    })
    expect(e.id).toBeGreaterThan(0)
    expect(e.ackedAt).toBeNull()
    const row = st.app.db.prepare('SELECT type, source_id FROM events WHERE id = ?').get(e.id)
    expect(row).toEqual({ type: 'device.offline', source_id: 'esp32-01' })
    const { events, total } = await list()
    expect(total).toBeGreaterThanOrEqual(1)
    expect(events.find((x) => x.id === e.id)).toMatchObject({ message: 'esp32-01 went offline' })
  })

  it('lists unacknowledged events first, then newest first; ?unacked=1 filters', async () => {
    const a = await st.app.events.record({
      type: 'camera.offline',
      severity: 'warning',
      sourceKind: 'camera',
      sourceId: '1',
      message: 'cam 1 offline',
    })
    const b = await st.app.events.record({
      type: 'camera.online',
      severity: 'info',
      sourceKind: 'camera',
      sourceId: '1',
      message: 'cam 1 online',
    })
    expect((await ack(b.id)).statusCode).toBe(200)
    const c = await st.app.events.record({
      type: 'device.online',
      severity: 'info',
      sourceKind: 'device',
      sourceId: 'esp32-01',
      message: 'esp32-01 online',
    })

    // Waiting for a guard (warnings and above, unacknowledged) first; info events never wait.
    const { events } = await list()
    const firstDone = events.findIndex((e) => !eventNeedsAck(e))
    expect(firstDone).toBeGreaterThan(0)
    expect(events.slice(firstDone).every((e) => !eventNeedsAck(e))).toBe(true)
    expect(events.slice(0, firstDone).map((e) => e.id)).toContain(a.id)
    const rest = events.slice(firstDone).map((e) => e.id)
    expect(rest.indexOf(c.id)).toBeLessThan(rest.indexOf(b.id))

    const only = await list('?unacked=1')
    expect(only.events.every(eventNeedsAck)).toBe(true)
    expect(only.events.map((e) => e.id)).not.toContain(b.id)
    expect(only.events.map((e) => e.id)).not.toContain(c.id)
    expect(only.total).toBe(only.events.length)
    expect(await list('?unacked=true')).toEqual(only)
    const all = await list()
    expect(await list('?unacked=false')).toEqual(all)
    expect(await list('?unacked=0')).toEqual(all)
    const bad = await st.app.inject({
      method: 'GET',
      url: '/api/events?unacked=yes',
      headers: { authorization: `Bearer ${guard}` },
    })
    expect(bad.statusCode).toBe(400)

    const limited = await list('?limit=1')
    expect(limited.events).toHaveLength(1)
    expect(limited.total).toBeGreaterThan(1)
    expect((await list(`?from=${c.ts + 60_000}`)).total).toBe(0)
  })

  it('records who acknowledged, when and the note; a second ack keeps the first', async () => {
    const e = await st.app.events.record({
      type: 'buzzer.failed',
      severity: 'warning',
      sourceKind: 'buzzer',
      sourceId: 'siren-1',
      message: 'siren-1 failed',
    })
    const before = Date.now()
    const res = await ack(e.id, { note: 'checked the siren, cable loose' })
    expect(res.statusCode).toBe(200)
    const first = res.json().data
    expect(first.alreadyAcknowledged).toBe(false)
    expect(first.event).toMatchObject({
      id: e.id,
      ackedBy: 'guard1',
      ackNote: 'checked the siren, cable loose',
    })
    expect(first.event.ackedAt).toBeGreaterThanOrEqual(before)

    const again = await ack(e.id, { note: 'second opinion' }, admin)
    expect(again.statusCode).toBe(200)
    expect(again.json().data.alreadyAcknowledged).toBe(true)
    expect(again.json().data.event).toEqual(first.event)

    const noBody = await st.app.events.record({
      type: 'device.offline',
      severity: 'warning',
      sourceKind: 'device',
      sourceId: 'x',
      message: 'x offline',
    })
    const plain = await ack(noBody.id)
    expect(plain.statusCode).toBe(200)
    expect(plain.json().data.event).toMatchObject({ ackedBy: 'guard1', ackNote: null })
  })

  it('acknowledges many at once: one note, those already acknowledged kept, each published', async () => {
    const record = (severity: 'info' | 'warning', id: string) =>
      st.app.events.record({
        type: severity === 'info' ? 'device.online' : 'device.offline',
        severity,
        sourceKind: 'device',
        sourceId: id,
        message: `Device ${id} ${severity === 'info' ? 'is online' : 'went offline'}`,
      })
    const x = await record('warning', 'bulk-1')
    const y = await record('warning', 'bulk-2')
    const z = await record('info', 'bulk-3')
    expect((await ack(y.id, { note: 'first' })).statusCode).toBe(200)
    const waitingBefore = (await list('?unacked=1')).total
    const published: number[] = []
    const off = st.app.domainEvents.on(
      'event.acknowledged',
      'test:bulk',
      (e) => void published.push(e.event.id),
    )
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/events/ack',
      headers: { authorization: `Bearer ${guard}` },
      payload: { ids: [x.id, y.id, z.id, 999_999], note: 'shift check' },
    })
    off()
    expect(res.statusCode, res.body).toBe(200)
    const data = res.json().data as { events: StationEvent[]; acknowledged: number }
    expect(data.acknowledged).toBe(2)
    expect(data.events.map((e) => [e.id, e.ackedBy, e.ackNote])).toEqual([
      [x.id, 'guard1', 'shift check'],
      [y.id, 'guard1', 'first'],
      [z.id, 'guard1', 'shift check'],
    ])
    expect(published).toEqual([x.id, z.id])
    expect((await list('?unacked=1')).total).toBe(waitingBefore - 1)
    const empty = await st.app.inject({
      method: 'POST',
      url: '/api/events/ack',
      headers: { authorization: `Bearer ${guard}` },
      payload: { ids: [] },
    })
    expect(empty.statusCode).toBe(400)
  })

  it('answers 404 for an unknown event and 401 without a session', async () => {
    const res = await ack(999_999)
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ success: false, code: 'NOT_FOUND' })
    const anon = await st.app.inject({ method: 'GET', url: '/api/events' })
    expect(anon.statusCode).toBe(401)
  })

  it('refuses bad queries', async () => {
    const res = await st.app.inject({
      method: 'GET',
      url: '/api/events?limit=0',
      headers: { authorization: `Bearer ${guard}` },
    })
    expect(res.statusCode).toBe(400)
    const range = await st.app.inject({
      method: 'GET',
      url: '/api/events?from=10&to=5',
      headers: { authorization: `Bearer ${guard}` },
    })
    expect(range.statusCode).toBe(400)
  })

  it('records queue.overload when a write queue refuses work, once per queue per minute', async () => {
    const q = st.app.queues.add(
      new GroupCommitQueue<number>(
        'test-overload',
        { maxWaitMs: 50, batchSize: 10, maxPending: 1 },
        () => {},
      ),
    )
    const overloads = () =>
      st.app.db
        .prepare<[], { n: number }>(
          "SELECT count(*) AS n FROM events WHERE type = 'queue.overload' AND source_id = 'test-overload'",
        )
        .get()!.n
    await expect(q.enqueue([1, 2])).rejects.toBeInstanceOf(QueueFullError)
    await waitFor(() => overloads() === 1, 'a queue.overload event')
    // Refused again within the minute: no second event.
    await expect(q.enqueue([1, 2, 3])).rejects.toBeInstanceOf(QueueFullError)
    await new Promise((r) => setTimeout(r, 1500))
    expect(overloads()).toBe(1)
  })
})

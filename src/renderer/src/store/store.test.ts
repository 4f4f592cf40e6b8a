import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BuzzerRequest, StationEvent } from '../../../shared/schemas/entities'
import type { AdminCamera } from '../../../shared/schemas/cameras'
import { FakeTransport, MemoryStorage } from '../transport/fake-transport.test-support'
import { StationRequestError } from '../transport/types'
import { createStationStore, SETTINGS_KEY, type StationStore } from './create-store'
import { READINGS_FLUSH_MS } from './live'
import { ReadingBus } from './reading-bus'
import { TOKEN_KEY } from './session-slice'
import { StatsSeries } from './stats-series'

const camera = (id: number, over: Partial<AdminCamera> = {}): AdminCamera => ({
  id,
  name: `Cam ${id}`,
  kind: 'push',
  url: null,
  subUrl: null,
  transport: 'tcp',
  hasCredentials: false,
  areaId: null,
  enabled: true,
  isOnline: true,
  fps: 10,
  stayConnected: false,
  allowLocal: false,
  lastSeenAt: 1000,
  confirmedAt: 1000,
  hasSubStream: false,
  recordingMode: 'off',
  recording: { mode: 'off', preRollS: 5, postRollS: 10, minDays: null, maxDays: null, maxBytes: null },
  createdAt: 1,
  updatedAt: 1,
  ...over,
})
const event = (id: number, over: Partial<StationEvent> = {}): StationEvent => ({
  id,
  ts: 1000 + id,
  type: 'camera.offline',
  severity: 'warning',
  sourceKind: 'camera',
  sourceId: '1',
  message: `event ${id}`,
  ackedAt: null,
  ackedBy: null,
  ackNote: null,
  alarmId: null,
  ...over,
})

const ENDS = { expiresAt: 9e12, maxExpiresAt: 9e12, warnMs: 300_000 }

function scripted(): FakeTransport {
  return new FakeTransport()
    .answer('auth:login', { token: 'tok-1', ...ENDS, user: { username: 'ann', role: 'guard' } })
    .answer('auth:me', { id: 2, username: 'ann', role: 'guard', ...ENDS })
    .answer('auth:logout', { loggedOut: true })
    .answer('cameras:list', [camera(1), camera(2)])
    .answer('stream:list', [])
    .answer('devices:list', [])
    .answer('areas:list', [])
    .answer('events:list', (a) => (a.unacked ? { events: [], total: 3 } : { events: [event(1)], total: 1 }))
}

describe('station store', () => {
  let t: FakeTransport
  let storage: MemoryStorage
  let session: MemoryStorage
  let alerts: StationEvent[]
  let st: StationStore
  const make = () =>
    createStationStore({
      transport: t,
      storage,
      sessionStorage: session,
      readings: new ReadingBus(),
      series: new StatsSeries(),
      alert: (e) => alerts.push(e),
    })

  beforeEach(() => {
    t = scripted()
    storage = new MemoryStorage()
    session = new MemoryStorage()
    alerts = []
    st = make()
  })
  afterEach(() => {
    st.dispose()
    vi.useRealTimers()
  })

  it('signs in: hands the token to the transport, keeps it for reloads, loads every screen', async () => {
    expect(await st.store.getState().login('ann', 'pw')).toBe(true)
    const s = st.store.getState()
    expect(s.session).toMatchObject({ status: 'signedIn', token: 'tok-1', user: { username: 'ann' } })
    expect(t.token).toBe('tok-1')
    expect(session.getItem(TOKEN_KEY)).toBe('tok-1')
    await vi.waitFor(() => expect(st.store.getState().cameras).toHaveLength(2))
    expect(st.store.getState().unackedCount).toBe(3)
    expect(t.callsOf('metrics:get')).toHaveLength(0) // guards do not load admin figures
  })

  it("shows the station's message when sign-in is refused, and a plain one when it is unreachable", async () => {
    t.answer('auth:login', new StationRequestError(401, 'BAD_LOGIN', 'Wrong username or password'))
    expect(await st.store.getState().login('ann', 'x')).toBe(false)
    expect(st.store.getState().session).toMatchObject({
      status: 'signedOut',
      error: 'Wrong username or password',
    })
    t.answer('auth:login', new StationRequestError(0, 'NETWORK', 'fetch failed'))
    await st.store.getState().login('ann', 'x')
    expect(st.store.getState().session.error).toMatch(/cannot be reached/)
  })

  it('restores a session after a reload, and returns to login when it has ended', async () => {
    session.setItem(TOKEN_KEY, 'tok-old')
    await st.store.getState().restoreSession()
    expect(st.store.getState().session).toMatchObject({ status: 'signedIn', token: 'tok-old' })
    st.dispose()
    t = scripted().answer('auth:me', new StationRequestError(401, 'UNAUTHORIZED', 'Authentication required'))
    st = make()
    await st.store.getState().restoreSession()
    expect(st.store.getState().session).toMatchObject({
      status: 'signedOut',
      notice: expect.stringMatching(/session ended/),
    })
    expect(session.getItem(TOKEN_KEY)).toBeNull()
  })

  it('on session expiry returns to login keeping the layout, and forgets the data', async () => {
    await st.store.getState().login('ann', 'pw')
    st.store.getState().setLayout(9)
    st.store.getState().setView('events')
    await vi.waitFor(() => expect(st.store.getState().cameras).toHaveLength(2))
    t.expire()
    const s = st.store.getState()
    expect(s.session).toMatchObject({
      status: 'signedOut',
      token: null,
      notice: expect.stringMatching(/expired/),
    })
    expect(s.settings).toMatchObject({ layout: 9, view: 'events' })
    expect(s.cameras).toEqual([])
    expect(t.token).toBeNull()
  })

  it('persists layout and settings (not the fullscreen camera) across a restart', () => {
    const s = st.store.getState()
    s.setLayout(16)
    s.moveCamera(3, 0, [1, 2, 3])
    s.setMuted(true)
    s.openFullscreen(2)
    st.dispose()
    st = make()
    expect(st.store.getState().settings).toMatchObject({
      layout: 16,
      cameraOrder: [3, 1, 2],
      muted: true,
      fullscreenCamera: null,
    })
    expect(JSON.parse(storage.getItem(SETTINGS_KEY)!).state).not.toHaveProperty('cameras')
  })

  it('puts new waiting events first, counts them, and alerts unless muted; info events only list', async () => {
    await st.store.getState().login('ann', 'pw')
    await vi.waitFor(() => expect(st.store.getState().eventsStatus).toBe('ready'))
    t.emit({ type: 'event', event: event(5, { ackedAt: 1, ackedBy: 'bob' }) })
    t.emit({ type: 'event', event: event(7) })
    t.emit({ type: 'event', event: event(6, { severity: 'info', type: 'camera.online' }) })
    const s = st.store.getState()
    expect(s.events.map((e) => e.id)).toEqual([7, 1, 6, 5])
    expect(s.unackedCount).toBe(4)
    expect(alerts.map((e) => e.id)).toEqual([7])
    s.setMuted(true)
    t.emit({ type: 'event', event: event(8) })
    expect(alerts).toHaveLength(1)
    t.emit({ type: 'event.acked', event: event(7, { ackedAt: 2000, ackedBy: 'ann', ackNote: 'ok' }) })
    expect(st.store.getState().unackedCount).toBe(4)
    expect(st.store.getState().events.map((e) => e.id)).toEqual([8, 1, 7, 6, 5])
  })

  it('acknowledges every waiting event at once', async () => {
    await st.store.getState().login('ann', 'pw')
    await vi.waitFor(() => expect(st.store.getState().eventsStatus).toBe('ready'))
    t.emit({ type: 'event', event: event(7) })
    t.answer('events:ackMany', (a) => ({
      events: a.ids.map((id) => event(id, { ackedAt: 3000, ackedBy: 'ann' })),
      acknowledged: a.ids.length,
    }))
    const before = st.store.getState().unackedCount
    const res = await st.store.getState().ackEvents([7, 1], ' shift start ')
    expect(res.ok).toBe(true)
    expect(t.callsOf('events:ackMany')).toEqual([{ ids: [7, 1], note: 'shift start' }])
    expect(st.store.getState().unackedCount).toBe(before - 2)
    expect(st.store.getState().events.every((e) => e.ackedAt !== null)).toBe(true)
  })

  it("acknowledges with a note and answers the form with the station's refusal", async () => {
    await st.store.getState().login('ann', 'pw')
    await vi.waitFor(() => expect(st.store.getState().events).toHaveLength(1))
    t.answer('events:ack', (a) => ({
      event: event(a.id, { ackedAt: 5, ackedBy: 'ann', ackNote: a.note ?? null }),
      alreadyAcknowledged: false,
    }))
    const res = await st.store.getState().ackEvent(1, '  gate closed  ')
    expect(res.ok).toBe(true)
    expect(t.callsOf('events:ack')).toEqual([{ id: 1, note: 'gate closed' }])
    expect(st.store.getState().events[0]).toMatchObject({ ackedBy: 'ann', ackNote: 'gate closed' })
    t.answer('events:ack', new StationRequestError(404, 'NOT_FOUND', 'Event 9 not found'))
    expect(await st.store.getState().ackEvent(9)).toEqual({
      ok: false,
      error: 'Event 9 not found',
      status: 404,
    })
  })

  it('sends readings to the chart bus at once and to the store coalesced', async () => {
    vi.useFakeTimers()
    st.dispose()
    const bus = new ReadingBus()
    st = createStationStore({
      transport: t,
      storage,
      sessionStorage: session,
      readings: bus,
      series: new StatsSeries(),
    })
    const seen: number[] = []
    bus.on('d1', 'temp', (p) => seen.push(p.value))
    let updates = 0
    st.store.subscribe((s, prev) => s.latest !== prev.latest && updates++)
    for (let i = 0; i < 100; i++)
      t.emit({ type: 'reading', deviceId: 'd1', sensor: 'temp', value: i, unit: 'C', ts: 1000 + i })
    expect(seen).toHaveLength(100)
    expect(updates).toBe(0)
    vi.advanceTimersByTime(READINGS_FLUSH_MS)
    expect(updates).toBe(1)
    expect(st.store.getState().latest.d1?.temp).toMatchObject({ value: 99, ts: 1099 })
  })

  it('never steps a buzzer request back in its lifecycle', () => {
    const r = (status: BuzzerRequest['status'], updatedAt: number): BuzzerRequest => ({
      id: 'r1',
      deviceId: 'd1',
      action: 'on',
      durationMs: 3000,
      pattern: 'pulse',
      status,
      requestedBy: 'ann',
      error: null,
      createdAt: 1,
      sentAt: null,
      acknowledgedAt: null,
      expiresAt: 99,
      updatedAt,
    })
    t.emit({ type: 'buzzer.status', request: r('sent', 2) })
    t.emit({ type: 'buzzer.status', request: r('acknowledged', 3) })
    t.emit({ type: 'buzzer.status', request: r('sent', 2) })
    expect(st.store.getState().buzzerRequests.d1?.map((x) => x.status)).toEqual(['acknowledged'])
  })

  it('applies camera status live and catches up after a reconnect', async () => {
    await st.store.getState().login('ann', 'pw')
    await vi.waitFor(() => expect(st.store.getState().cameras).toHaveLength(2))
    t.emit({ type: 'camera.status', cameraId: 2, online: false })
    expect(st.store.getState().cameras.find((c) => c.id === 2)?.isOnline).toBe(false)
    const before = t.callsOf('cameras:list').length
    t.emitStatus({ state: 'open' })
    t.emitStatus({ state: 'reconnecting', attempt: 1, lastMessageAt: 123 })
    expect(st.store.getState().connection).toMatchObject({ state: 'reconnecting', lastMessageAt: 123 })
    t.emitStatus({ state: 'open' })
    await vi.waitFor(() => expect(t.callsOf('cameras:list').length).toBe(before + 1))
  })

  it('while the live connection is down everything is unknown since it was last heard; its return bumps liveEpoch', async () => {
    await st.store.getState().login('ann', 'pw')
    t.emitStatus({ state: 'open' })
    expect(st.store.getState()).toMatchObject({ lostAt: null, liveEpoch: 0 })
    t.emitStatus({ state: 'reconnecting', attempt: 1, lastMessageAt: 123 })
    t.emitStatus({ state: 'reconnecting', attempt: 2, lastMessageAt: 123, retryAt: 9999 })
    expect(st.store.getState()).toMatchObject({ lostAt: 123, liveEpoch: 0 })
    t.emitStatus({ state: 'open' })
    expect(st.store.getState()).toMatchObject({ lostAt: null, liveEpoch: 1 })
    // Live video stats carry each camera's confirmation time.
    t.emit({ type: 'stats', stats: { video: { cameras: [{ id: 1, confirmedAt: 5000 }] } } })
    expect(st.store.getState().cameraConfirmed).toEqual({ 1: 5000 })
  })

  it("follows an admin's camera changes made at another desk (added, changed, removed)", async () => {
    await st.store.getState().login('ann', 'pw')
    await vi.waitFor(() => expect(st.store.getState().cameras).toHaveLength(2))
    const streamLoads = t.callsOf('stream:list').length
    t.emit({ type: 'camera.status', cameraId: 3, online: false, camera: camera(3, { isOnline: false }) })
    t.emit({ type: 'camera.status', cameraId: 1, online: true, camera: camera(1, { name: 'Gate' }) })
    expect(st.store.getState().cameras.map((c) => `${c.id} ${c.name}`)).toEqual([
      '1 Gate',
      '2 Cam 2',
      '3 Cam 3',
    ])
    // The stream endpoints follow the cameras.
    expect(t.callsOf('stream:list').length).toBe(streamLoads + 2)
    t.emit({ type: 'camera.status', cameraId: 2, online: false, state: 'offline', lastError: 'no frame' })
    t.emit({ type: 'camera.removed', cameraId: 2 })
    const s = st.store.getState()
    expect(s.cameras.map((c) => c.id)).toEqual([1, 3])
    expect(s.cameraHealth).not.toHaveProperty('2')
  })

  it('merges a camera view into what it holds, and takes the admin view from camera.config', async () => {
    await st.store.getState().login('ann', 'pw')
    await vi.waitFor(() => expect(st.store.getState().cameras).toHaveLength(2))
    st.store.getState().applyCameraConfig(camera(1, { kind: 'mjpeg', url: 'http://cam-1/video' }))
    const {
      url: _url,
      subUrl: _sub,
      transport: _t,
      hasCredentials: _h,
      fps: _f,
      stayConnected: _s,
      allowLocal: _a,
      createdAt: _c,
      updatedAt: _u,
      ...view
    } = camera(1, { name: 'Gate', kind: 'mjpeg' })
    t.emit({ type: 'camera.status', cameraId: 1, online: true, camera: view })
    expect(st.store.getState().cameras.find((c) => c.id === 1)).toMatchObject({
      name: 'Gate',
      url: 'http://cam-1/video',
    })
    t.emit({
      type: 'camera.config',
      cameraId: 1,
      camera: camera(1, { name: 'Gate', kind: 'mjpeg', url: 'http://cam-1/other', fps: 4 }),
    })
    expect(st.store.getState().cameras.find((c) => c.id === 1)).toMatchObject({
      url: 'http://cam-1/other',
      fps: 4,
    })
    // A guard's new camera arrives as its view alone (no URL): enough for its tile.
    t.emit({ type: 'camera.status', cameraId: 7, online: false, camera: { ...view, id: 7, name: 'Dock' } })
    expect(st.store.getState().cameras.find((c) => c.id === 7)).not.toHaveProperty('url')
  })

  it("keeps each camera's relay state, last error and next retry from the live channel", async () => {
    await st.store.getState().login('ann', 'pw')
    await vi.waitFor(() => expect(st.store.getState().cameras).toHaveLength(2))
    const cameras = st.store.getState().cameras
    t.emit({
      type: 'camera.status',
      cameraId: 1,
      online: true,
      state: 'connecting',
      lastError: null,
      nextRetryAt: null,
    })
    expect(st.store.getState().cameraHealth[1]).toEqual({
      state: 'connecting',
      lastError: null,
      nextRetryAt: null,
    })
    // A state-only change leaves the camera list alone (no re-render of every tile).
    expect(st.store.getState().cameras).toBe(cameras)
    t.emit({
      type: 'camera.status',
      cameraId: 1,
      online: false,
      state: 'offline',
      lastError: 'connection refused',
      nextRetryAt: 5000,
    })
    expect(st.store.getState().cameraHealth[1]).toEqual({
      state: 'offline',
      lastError: 'connection refused',
      nextRetryAt: 5000,
    })
    expect(st.store.getState().cameras.find((c) => c.id === 1)?.isOnline).toBe(false)
    // A message without the relay's view (an admin's edit) keeps the last known state.
    t.emit({
      type: 'camera.status',
      cameraId: 1,
      online: false,
      camera: camera(1, { isOnline: false, name: 'Gate' }),
    })
    expect(st.store.getState().cameras.find((c) => c.id === 1)?.name).toBe('Gate')
    expect(st.store.getState().cameraHealth[1]?.state).toBe('offline')
    st.store.getState().cameraRemoved(1)
    expect(st.store.getState().cameraHealth[1]).toBeUndefined()
  })

  it('reloads its lists when the station says it skipped messages (resync)', async () => {
    await st.store.getState().login('ann', 'pw')
    await vi.waitFor(() => expect(st.store.getState().session.loadedAt).not.toBeNull())
    const lists = ['cameras:list', 'stream:list', 'devices:list', 'areas:list'] as const
    const before = lists.map((op) => t.callsOf(op).length)
    const events = t.callsOf('events:list').length
    t.emit({ type: 'resync', missed: 12 })
    await vi.waitFor(() => expect(lists.map((op) => t.callsOf(op).length)).toEqual(before.map((n) => n + 1)))
    expect(t.callsOf('events:list').length).toBeGreaterThan(events)
    // Signed out: nothing to reload.
    await st.store.getState().logout()
    const after = t.callsOf('cameras:list').length
    t.emit({ type: 'resync', missed: 3 })
    await new Promise((r) => setTimeout(r, 20))
    expect(t.callsOf('cameras:list').length).toBe(after)
  })

  it('folds resyncs that arrive during a reload into one more reload', async () => {
    await st.store.getState().login('ann', 'pw')
    await vi.waitFor(() => expect(st.store.getState().session.loadedAt).not.toBeNull())
    const before = t.callsOf('cameras:list').length
    t.emit({ type: 'resync', missed: 1 })
    t.emit({ type: 'resync', missed: 2 })
    t.emit({ type: 'resync', missed: 3 })
    await vi.waitFor(() => expect(t.callsOf('cameras:list').length).toBe(before + 2))
    await new Promise((r) => setTimeout(r, 20))
    expect(t.callsOf('cameras:list').length).toBe(before + 2)
  })
})

/**
 * Retention over a real station (real SQLite, real files in a temp folder): by days, by a camera's bytes,
 * by the global quota (never below minimum days) and by the free-space reserve (minimum days included),
 * never a protected segment, expired holds, the protected-over-quota event, and index and files agreeing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DAY, HOUR, startRetentionStation, type RetentionStation } from './retention-fixtures'

let s: RetentionStation | undefined
afterEach(async () => {
  await s?.close()
  s = undefined
})

const start = async (env: Record<string, string> = {}) => (s = await startRetentionStation(env))
const pass = async (rs: RetentionStation) => {
  const r = await rs.station.app.retention.runNow()
  if (!r) throw new Error('no pass result')
  return r
}

function expectAgreement(rs: RetentionStation) {
  const { rows, files } = rs.agreement()
  expect(files).toEqual(rows)
}

describe('retention', () => {
  it('deletes footage older than maxDays, and only that', async () => {
    const rs = await start()
    const cam = await rs.camera('Gate', { maxDays: 2 })
    const other = await rs.camera('Yard')
    const now = Date.now()
    const ids = rs.segments(cam, [
      { start: now - 5 * DAY },
      { start: now - 3 * DAY },
      { start: now - 2 * DAY - 60_000 },
      { start: now - DAY },
      { start: now - HOUR },
    ])
    const kept = rs.segments(other, [{ start: now - 5 * DAY }])
    const r = await pass(rs)
    expect(r.byReason.maxDays).toBe(3)
    expect(rs.ids(cam)).toEqual(ids.slice(3))
    expect(rs.ids(other)).toEqual(kept)
    expectAgreement(rs)
    expect(rs.station.app.retention.totals.get(cam)).toEqual({ bytes: 2000, segments: 2 })
  })

  it('keeps a camera within its maxBytes, oldest first, never a protected segment', async () => {
    const rs = await start()
    const cam = await rs.camera('Gate', { maxBytes: 3000 })
    const now = Date.now()
    const ids = rs.segments(cam, [
      { start: now - 5 * HOUR, protectedUntil: now + DAY },
      { start: now - 4 * HOUR },
      { start: now - 3 * HOUR },
      { start: now - 2 * HOUR },
      { start: now - HOUR },
    ])
    const r = await pass(rs)
    expect(r.byReason.maxBytes).toBe(2)
    expect(rs.ids(cam)).toEqual([ids[0], ids[3], ids[4]])
    expectAgreement(rs)
  })

  it('applies the global quota to the oldest footage across cameras, above each minDays', async () => {
    const rs = await start({ STATION_RECORDINGS_QUOTA_BYTES: '4000' })
    const a = await rs.camera('A')
    const b = await rs.camera('B', { minDays: 1 })
    const now = Date.now()
    const aIds = rs.segments(a, [
      { start: now - 10 * HOUR },
      { start: now - 6 * HOUR },
      { start: now - 2 * HOUR },
    ])
    // B's oldest is older than A's, but within its minimum day: the quota cannot cut it.
    const bIds = rs.segments(b, [
      { start: now - 20 * HOUR },
      { start: now - 8 * HOUR },
      { start: now - HOUR },
    ])
    const r = await pass(rs)
    // 6000 bytes, quota 4000: A's two oldest go (B's are all within 1 day); 4000 left.
    expect(r.byReason.quota).toBe(2)
    expect(rs.ids(a)).toEqual([aIds[2]])
    expect(rs.ids(b)).toEqual(bIds)
    expect(r.quotaShortfall).toBeUndefined()
    expectAgreement(rs)
  })

  it('deletes in global age order when no minimum holds anything back', async () => {
    const rs = await start({ STATION_RECORDINGS_QUOTA_BYTES: '2500' })
    const a = await rs.camera('A')
    const b = await rs.camera('B')
    const now = Date.now()
    const [a1, a2] = rs.segments(a, [{ start: now - 9 * HOUR }, { start: now - 3 * HOUR }])
    const [b1, b2] = rs.segments(b, [{ start: now - 7 * HOUR }, { start: now - 5 * HOUR }])
    await pass(rs)
    expect(rs.ids(a)).toEqual([a2])
    expect(rs.ids(b)).toEqual([b2])
    expect([a1, b1].every((id) => id !== undefined)).toBe(true)
    expectAgreement(rs)
  })

  it('minDays survives the quota, not a volume below its reserve', async () => {
    const rs = await start({
      STATION_RECORDINGS_QUOTA_BYTES: '1000',
      STATION_RECORDINGS_RESERVE_PERCENT: '10',
    })
    const cam = await rs.camera('Gate', { minDays: 7 })
    const now = Date.now()
    const ids = rs.segments(cam, [
      { start: now - 3 * DAY, protectedUntil: now + DAY },
      { start: now - 2 * DAY },
      { start: now - DAY },
      { start: now - HOUR },
    ])
    const retention = rs.station.app.retention
    // Plenty of room: the quota is exceeded but every segment is within the minimum days.
    retention.useVolumeCheck(async () => ({ totalBytes: 100_000, freeBytes: 50_000 }))
    let r = await pass(rs)
    expect(r.deletedSegments).toBe(0)
    expect(r.quotaShortfall).toEqual({ overBytes: 3000, protectedBytes: 1000 })
    expect(rs.ids(cam)).toEqual(ids)

    // Nearly full: 8,500 free of 100,000 with a 10% reserve: 1,500 bytes must go, oldest unprotected first.
    let freed = 0
    retention.useVolumeCheck(async () => ({ totalBytes: 100_000, freeBytes: 8_500 + freed }))
    const off = rs.station.app.domainEvents.on('recording.deleted', 'test', (e) => (freed += e.bytes))
    r = await pass(rs)
    off()
    expect(r.byReason.reserve).toBe(2)
    expect(rs.ids(cam)).toEqual([ids[0], ids[3]])
    expect(r.reserveShortfall).toBeUndefined()
    expectAgreement(rs)
  })

  it('raises one event when protected footage alone exceeds the quota, and deletes none of it', async () => {
    const rs = await start({ STATION_RECORDINGS_QUOTA_BYTES: '1500' })
    const cam = await rs.camera('Gate')
    const now = Date.now()
    const ids = rs.segments(cam, [
      { start: now - 3 * HOUR, protectedUntil: now + DAY },
      { start: now - 2 * HOUR, protectedUntil: now + 2 * DAY },
      { start: now - HOUR },
    ])
    const first = await pass(rs)
    expect(first.byReason.quota).toBe(1)
    expect(rs.ids(cam)).toEqual(ids.slice(0, 2))
    await pass(rs)
    await pass(rs)
    const events = async () => {
      const res = await rs.station.app.inject({
        method: 'GET',
        url: '/api/events?limit=100',
        headers: { authorization: `Bearer ${rs.admin}` },
      })
      return (
        res.json() as { data: { events: { type: string; message: string; severity: string }[] } }
      ).data.events.filter((e) => e.type === 'storage.protected_over_quota')
    }
    const until = Date.now() + 5000
    while ((await events()).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
    const raised = await events()
    expect(raised).toHaveLength(1)
    expect(raised[0]!.severity).toBe('warning')
    expect(raised[0]!.message).toMatch(/Protected footage alone .* exceeds the recordings quota/)
    const summary = await rs.station.app.retention.summary()
    expect(summary.problems[0]).toMatch(/Protected footage alone/)
    expect(summary.protectedBytes).toBe(2000)
  })

  it('removes expired holds, recomputes protection, and lets expired footage go', async () => {
    const rs = await start()
    const cam = await rs.camera('Gate', { maxDays: 1 })
    const now = Date.now()
    const [old, kept] = rs.segments(cam, [
      { start: now - 3 * DAY, protectedUntil: now - 1000 },
      { start: now - 2 * DAY, protectedUntil: now + DAY },
    ])
    rs.hold(cam, now - 3 * DAY - 1000, now - 3 * DAY + 20_000, now - 1000)
    rs.hold(cam, now - 2 * DAY - 1000, now - 2 * DAY + 20_000, now + DAY)
    const r = await pass(rs)
    expect(r.holdsExpired).toBe(1)
    expect(rs.ids(cam)).toEqual([kept])
    expect(old).toBeDefined()
    const holds = rs.station.app.db.prepare('SELECT keep_until AS k FROM recording_holds').all()
    expect(holds).toEqual([{ k: now + DAY }])
    expectAgreement(rs)
  })

  it('recomputes protection from the holds still live when one of several expires', async () => {
    const rs = await start()
    const cam = await rs.camera('Gate')
    const now = Date.now()
    const [id] = rs.segments(cam, [{ start: now - HOUR, protectedUntil: now - 1 }])
    rs.hold(cam, now - HOUR - 5000, now - HOUR + 5000, now - 1)
    rs.hold(cam, now - HOUR, now - HOUR + 1, now + 5 * DAY)
    await pass(rs)
    const row = rs.station.app.db
      .prepare('SELECT protected_until AS p FROM recording_segments WHERE id = ?')
      .get(id)
    expect(row).toEqual({ p: now + 5 * DAY })
  })

  it('a live hold protects a segment whose protected_until was not set yet', async () => {
    const rs = await start()
    const cam = await rs.camera('Gate', { maxDays: 1 })
    const now = Date.now()
    const ids = rs.segments(cam, [{ start: now - 3 * DAY }, { start: now - 2 * DAY }])
    rs.hold(cam, now - 3 * DAY, now - 3 * DAY + 5000, now + DAY)
    await pass(rs)
    expect(rs.ids(cam)).toEqual([ids[0]])
    expectAgreement(rs)
  })

  it('re-reads the totals of cameras whose deletion came without a breakdown', async () => {
    const rs = await start()
    const cam = await rs.camera('Gate')
    const now = Date.now()
    const ids = rs.segments(cam, [{ start: now - 2 * HOUR }, { start: now - HOUR }])
    const { app } = rs.station
    expect(app.retention.totals.get(cam)).toEqual({ bytes: 2000, segments: 2 })
    app.db.prepare('DELETE FROM recording_segments WHERE id = ?').run(ids[0])
    app.domainEvents.publish({ type: 'recording.deleted', cameraIds: [cam], segments: 1, bytes: 1000 })
    const until = Date.now() + 5000
    while (app.retention.totals.get(cam).segments !== 1 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 10))
    expect(app.retention.totals.get(cam)).toEqual({ bytes: 1000, segments: 1 })
  })

  it('loads the totals of segments indexed before the station started', async () => {
    const rs = await start()
    const cam = await rs.camera('Gate')
    const now = Date.now()
    rs.segments(cam, [{ start: now - HOUR, bytes: 1234 }])
    const { app } = rs.station
    // A fresh service over the same index (as after a restart): one aggregate query.
    const { StorageTotals } = await import('./storage-totals')
    const totals = new StorageTotals()
    await totals.reload('all', () => app.reads.run('retention.totals', {}))
    expect(totals.loaded).toBe(true)
    expect(totals.get(cam)).toEqual({ bytes: 1234, segments: 1 })
    expect(totals.totalBytes).toBe(1234)
  })
})

/**
 * The storage figures (guards may read) and deleting footage (admins only: guards get 403; a range with
 * protected footage is refused with 409 naming its keep-until date unless skipProtected).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StorageSummary } from '../../../shared/schemas/recordings'
import { DAY, HOUR, startRetentionStation, type RetentionStation } from './retention-fixtures'

let s: RetentionStation
let cam: number
let ids: number[]
const now = Date.now()

beforeAll(async () => {
  s = await startRetentionStation({ STATION_RECORDINGS_QUOTA_BYTES: String(10 * 1024 * 1024) })
  cam = await s.camera('Gate', { minDays: 3, maxDays: 30 })
  ids = s.segments(cam, [
    { start: now - 2 * DAY, bytes: 2000 },
    { start: now - 2 * DAY + 10_000, bytes: 2000, protectedUntil: now + 10 * DAY },
    { start: now - DAY, bytes: 3000 },
    { start: now - HOUR, bytes: 4000 },
  ])
})
afterAll(() => s.close())

const inject = (method: 'GET' | 'DELETE', url: string, token: string) =>
  s.station.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } })

describe('GET /api/v1/recordings/storage', () => {
  it('answers guards the figures per camera and for the volume', async () => {
    const res = await inject('GET', '/api/v1/recordings/storage', s.guard)
    expect(res.statusCode).toBe(200)
    const data = (res.json() as { data: StorageSummary }).data
    const c = data.cameras.find((x) => x.cameraId === cam)!
    expect(c).toMatchObject({
      name: 'Gate',
      retention: { minDays: 3, maxDays: 30, maxBytes: null },
      bytes: 11_000,
      segments: 4,
      protectedBytes: 2000,
      oldest: now - 2 * DAY,
      newest: now - HOUR + 10_000,
      state: 'off',
      lastError: null,
    })
    expect(c.daysCovered).toBeGreaterThan(1.99)
    expect(c.writeBytesPerSec).toBeGreaterThan(0)
    expect(data.totalBytes).toBe(11_000)
    expect(data.protectedBytes).toBe(2000)
    expect(data.quotaBytes).toBe(10 * 1024 * 1024)
    expect(data.reservePercent).toBe(5)
    expect(data.volume.totalBytes).toBeGreaterThan(0)
    expect(data.volume.reserveBytes).toBe(Math.floor(data.volume.totalBytes * 0.05))
    expect(data.problems).toEqual([])
  })

  it("takes the recorder's state and write rate when one reports", async () => {
    s.station.app.retention.useRecorderStatus((id) =>
      id === cam ? { state: 'failed', lastError: 'disk full', writeBytesPerSec: 12_345 } : undefined,
    )
    const data = (await inject('GET', '/api/v1/recordings/storage', s.guard)).json() as {
      data: StorageSummary
    }
    expect(data.data.cameras.find((x) => x.cameraId === cam)).toMatchObject({
      state: 'failed',
      lastError: 'disk full',
      writeBytesPerSec: 12_345,
    })
    s.station.app.retention.useRecorderStatus(undefined)
  })

  it('is refused without a session', async () => {
    const res = await s.station.app.inject({ method: 'GET', url: '/api/v1/recordings/storage' })
    expect(res.statusCode).toBe(401)
  })
})

describe('DELETE /api/v1/recordings', () => {
  const range = (from: number, to: number, extra = '') =>
    `/api/v1/recordings?cameraId=${cam}&from=${from}&to=${to}${extra}`

  it('is refused to guards (403), and deletes nothing', async () => {
    const res = await inject('DELETE', range(0, now), s.guard)
    expect(res.statusCode).toBe(403)
    expect(s.ids(cam)).toEqual(ids)
  })

  it('refuses a range holding protected footage with 409 naming the keep-until date', async () => {
    const res = await inject('DELETE', range(now - 3 * DAY, now - DAY - 1), s.admin)
    expect(res.statusCode).toBe(409)
    const body = res.json() as { code: string; message: string }
    expect(body.code).toBe('CONFLICT')
    expect(body.message).toContain(new Date(now + 10 * DAY).toISOString())
    expect(body.message).toContain('keep-until')
    expect(s.ids(cam)).toEqual(ids)
  })

  it('refuses an empty range', async () => {
    const res = await inject('DELETE', range(now, now), s.admin)
    expect(res.statusCode).toBe(400)
  })

  it('deletes the unprotected footage with skipProtected, files and rows', async () => {
    const res = await inject('DELETE', range(now - 3 * DAY, now - DAY - 1, '&skipProtected=true'), s.admin)
    expect(res.statusCode).toBe(200)
    expect((res.json() as { data: unknown }).data).toMatchObject({
      cameraId: cam,
      deletedSegments: 1,
      deletedBytes: 2000,
      keptProtected: 1,
    })
    expect(s.ids(cam)).toEqual([ids[1], ids[2], ids[3]])
    const { rows, files } = s.agreement()
    expect(files).toEqual(rows)
    expect(s.station.app.retention.totals.get(cam)).toEqual({ bytes: 9000, segments: 3 })
  })

  it('deletes a range without protected footage (whole overlapping segments)', async () => {
    const res = await inject('DELETE', range(now - DAY + 5000, now - DAY + 6000), s.admin)
    expect(res.statusCode).toBe(200)
    expect((res.json() as { data: unknown }).data).toMatchObject({ deletedSegments: 1, deletedBytes: 3000 })
    expect(s.ids(cam)).toEqual([ids[1], ids[3]])
  })
})

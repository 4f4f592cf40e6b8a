/**
 * The shared statistics schemas describe what a real station answers: every figure the UI reads is there
 * with its type (the station declares its answers with the same schemas, so they cannot drift apart).
 */
import { Value } from '@sinclair/typebox/value'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from '../../main/server/test-helper'
import { CacheStatsSchema, MetricsSnapshotSchema } from './metrics'
import { VideoStatsSchema } from './video'

describe('shared statistics schemas against a real station', () => {
  let station: TestStation
  let token: string
  const get = async (url: string) => {
    const res = await station.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.statusCode).toBe(200)
    return (res.json() as { data: unknown }).data
  }
  const problems = (schema: Parameters<typeof Value.Errors>[0], value: unknown) =>
    [...Value.Errors(schema, value)].map((e) => `${e.path}: ${e.message}`)

  beforeAll(async () => {
    station = await createTestStation()
    token = await station.login()
    const created = await station.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'Schema cam', kind: 'push' },
    })
    expect(created.statusCode).toBe(201)
    await get('/api/cameras')
    await get('/api/cameras')
  })
  afterAll(() => station.close())

  it('GET /api/metrics matches MetricsSnapshotSchema, with the video part and every queue', async () => {
    const m = await get('/api/metrics')
    expect(problems(MetricsSnapshotSchema, m)).toEqual([])
    const snapshot = Value.Cast(MetricsSnapshotSchema, m)
    expect(snapshot.video?.cameras.map((c) => c.name)).toContain('Schema cam')
    expect(snapshot.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['readings']))
    expect(snapshot.queues.every((q) => typeof q.inFlight === 'number')).toBe(true)
    expect(snapshot.responseCache?.hits).toBeGreaterThan(0)
    expect(typeof snapshot.websockets.live.subscribers).toBe('number')
  })

  it('GET /api/cache/stats and GET /api/v1/stream/stats match theirs', async () => {
    expect(problems(CacheStatsSchema, await get('/api/cache/stats'))).toEqual([])
    expect(problems(VideoStatsSchema, await get('/api/v1/stream/stats'))).toEqual([])
  })
})

import type { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'

/** The read pool's only worker thread (a look inside, as the pool's own tests take). */
function readWorker(st: TestStation): Worker {
  // app.reads is the pool behind the storage guard (storage-guarded-reads.ts).
  const pool = (st.app.reads as unknown as { inner: { slots: { worker: Worker | undefined }[] } }).inner
  const worker = pool.slots[0]?.worker
  if (!worker) throw new Error('the read pool has no worker')
  return worker
}

describe('reading history on the read pool', () => {
  let st: TestStation
  let guard: string
  const base = 1_700_000_000_000
  const url = `/api/v1/devices/dev-1/readings?sensor=temp&from=${base}&to=${base + 59_000}&limit=5`
  const history = () => st.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${guard}` } })

  beforeAll(async () => {
    // One read worker: killing it leaves no other to answer.
    st = await createTestStation({ STATION_READ_POOL_SIZE: '1' })
    guard = await st.guardToken()
    const readings = Array.from({ length: 60 }, (_, i) => ({
      deviceId: 'dev-1',
      sensor: 'temp',
      value: i,
      unit: 'C',
      ts: base + i * 1000,
    }))
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/sensor-data',
      headers: { 'x-device-key': TEST_DEVICE_KEY },
      payload: { readings },
    })
    expect(res.statusCode).toBe(200)
  })
  afterAll(() => st.close())

  it('keeps answering after its read worker is killed', async () => {
    const before = await history()
    expect(before.statusCode).toBe(200)
    const { total, readings } = before.json().data
    expect(total).toBe(60)
    expect(readings).toHaveLength(5)
    expect(readings[0]).toEqual({ ts: base + 59_000, value: 59, sensor: 'temp', unit: 'C' })

    await readWorker(st).terminate()
    // The worker started in its place answers the same.
    const after = await history()
    expect(after.statusCode).toBe(200)
    expect(after.json()).toEqual(before.json())
    expect(st.app.reads.stats()).toMatchObject({ size: 1, restarts: 1, readsFailed: 0 })

    // Killed while a request is on its way: the request is answered either way, never left hanging
    // (by the next worker, or with the pool's 503 if its query was already in the dead one).
    const pending = history()
    void readWorker(st).terminate()
    const during = await pending
    if (during.statusCode === 200) expect(during.json()).toEqual(before.json())
    else expect(during.json()).toMatchObject({ statusCode: 503, code: 'READ_WORKER_DIED' })
    const later = await history()
    expect(later.statusCode).toBe(200)
    expect(st.app.reads.stats().restarts).toBe(2)
  })
})

import { describe, expect, it } from 'vitest'
import { openWriter } from '../database/open'
import { InlineWriter, type Writer } from '../database/writer'
import { DeviceWrites } from './device-writes'

/** An in-memory writer whose operations wait for `release()` before they run, like a busy writer thread. */
function gatedWriter() {
  const db = openWriter({ dataDir: undefined, synchronous: 'FULL' })
  const inline = new InlineWriter(db)
  const gates: (() => void)[] = []
  const writer: Writer = {
    run: async (op, payload) => {
      await new Promise<void>((resolve) => gates.push(resolve))
      return inline.run(op, payload)
    },
    stats: () => inline.stats(),
    close: () => inline.close(),
  }
  const release = async () => {
    for (let i = 0; i < 1000 && gates.length === 0; i++) await new Promise((r) => setImmediate(r))
    gates.shift()?.()
  }
  return { db, writer, release }
}

describe('DeviceWrites', () => {
  it('lets touches made during a flush ride in the next one, losing nothing', async () => {
    const { db, writer, release } = gatedWriter()
    const changes: { newDevices: number; onlineChanges: number; deviceIds: string[] }[] = []
    const writes = new DeviceWrites(
      writer,
      { maxWaitMs: 50, batchSize: 100, maxPending: 100 },
      { afterCommit: (c) => changes.push(c), onError: (err) => expect.fail(String(err)) },
    )
    writes.touch('d1', 1000, '10.0.0.1')
    writes.setOnline('d1', true)
    await new Promise((r) => setImmediate(r)) // the first flush has started and waits on the writer
    writes.touch('d1', 2000, '10.0.0.2')
    writes.setOnline('d1', false)
    expect(writes.size).toBe(1)
    await release()
    await release()
    await writes.queue.drain()
    expect(db.prepare("SELECT last_seen_at, last_ip, is_online FROM devices WHERE id = 'd1'").get()).toEqual({
      last_seen_at: 2000,
      last_ip: '10.0.0.2',
      is_online: 0,
    })
    expect(changes).toEqual([
      { newDevices: 1, onlineChanges: 1, capabilityChanges: 0, deviceIds: ['d1'] },
      { newDevices: 0, onlineChanges: 1, capabilityChanges: 0, deviceIds: ['d1'] },
    ])
    expect(writes.size).toBe(0)
    db.close()
  })

  it('drops the touches of a device forgotten before its flush', async () => {
    const { db, writer, release } = gatedWriter()
    const writes = new DeviceWrites(
      writer,
      { maxWaitMs: 50, batchSize: 100, maxPending: 100 },
      { afterCommit: () => {}, onError: (err) => expect.fail(String(err)) },
    )
    writes.touch('gone', 1000, null)
    writes.forget('gone')
    writes.touch('kept', 1000, null)
    await release()
    await writes.queue.drain()
    expect(db.prepare('SELECT id FROM devices').all()).toEqual([{ id: 'kept' }])
    db.close()
  })
})

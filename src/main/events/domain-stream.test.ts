import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DomainEventStream } from './domain-stream'
import type { DomainEvent } from '../../shared/events/domain-events'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'

const silent = { error: () => {} }
const settings = (key: string): DomainEvent => ({ type: 'settings.changed', keys: [key] })

describe('DomainEventStream', () => {
  it('delivers every event to every subscriber in publish order, typed by name', () => {
    const stream = new DomainEventStream(silent)
    const any: string[] = []
    const onlySettings: string[] = []
    stream.onAny('any', (e) => any.push(e.type === 'settings.changed' ? e.keys[0]! : e.type))
    stream.on('settings.changed', 'settings', (e) => onlySettings.push(e.keys[0]!))
    stream.publish(settings('a'), settings('b'))
    stream.publish({ type: 'area.changed', areaId: 1, change: 'created' })
    stream.publish(settings('c'))
    expect(any).toEqual(['a', 'b', 'area.changed', 'c'])
    expect(onlySettings).toEqual(['a', 'b', 'c'])
    expect(stream.stats()).toMatchObject({
      published: 4,
      byType: { 'settings.changed': 3, 'area.changed': 1 },
    })
  })

  it('a subscriber that throws breaks neither the publisher nor the others, and is counted and logged once', () => {
    const logged: object[] = []
    const stream = new DomainEventStream({ error: (obj) => logged.push(obj) })
    const seen: string[] = []
    stream.onAny('first', (e) => seen.push(`first:${e.type}`))
    stream.onAny('broken', () => {
      throw new Error('boom')
    })
    stream.onAny('last', (e) => seen.push(`last:${e.type}`))
    expect(() => {
      stream.publish(settings('x'))
      stream.publish(settings('y'))
    }).not.toThrow()
    expect(seen).toEqual([
      'first:settings.changed',
      'last:settings.changed',
      'first:settings.changed',
      'last:settings.changed',
    ])
    expect(stream.stats().subscriberErrors).toEqual({ broken: 2 })
    // Aggregated: the second failure within the interval is counted, not logged again.
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatchObject({ subscriber: 'broken', event: 'settings.changed' })
  })

  it('an event published from inside a subscriber reaches everyone after the current one (same order for all)', () => {
    const stream = new DomainEventStream(silent)
    const a: string[] = []
    const b: string[] = []
    stream.onAny('a', (e) => {
      a.push(e.type)
      if (e.type === 'area.changed') stream.publish(settings('nested'))
    })
    stream.onAny('b', (e) => b.push(e.type))
    stream.publish(
      { type: 'area.changed', areaId: 1, change: 'created' },
      { type: 'user.changed', userId: 1, change: 'created' },
    )
    expect(a).toEqual(['area.changed', 'user.changed', 'settings.changed'])
    expect(b).toEqual(a)
  })

  it('unsubscribing stops delivery; a subscriber added during delivery starts with the next event', () => {
    const stream = new DomainEventStream(silent)
    const late: string[] = []
    const off = stream.onAny('early', () => {
      stream.onAny('late', (e) => late.push(e.type))
      off()
    })
    stream.publish(settings('1'))
    expect(late).toEqual([])
    stream.publish(settings('2'))
    expect(late).toEqual(['settings.changed'])
  })
})

describe('committed facts on a real station', () => {
  let st: TestStation
  beforeAll(async () => {
    st = await createTestStation()
  })
  afterAll(() => st.close())

  it('publishes each commit of readings once, with every reading, before the device is acknowledged', async () => {
    const commits: { count: number; storedWhenPublished: number }[] = []
    const count = st.app.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM readings')
    const off = st.app.domainEvents.on('reading.committed', 'test', (e) => {
      commits.push({ count: e.readings.length, storedWhenPublished: count.get()!.n })
    })
    // A subscriber that throws must not make the ingest fail.
    const offBroken = st.app.domainEvents.on('reading.committed', 'test:broken', () => {
      throw new Error('subscriber bug')
    })
    const readings = Array.from({ length: 25 }, (_, i) => ({
      deviceId: 'stream-1',
      sensor: 'temp',
      value: i,
      ts: Date.now() - 1000 + i,
    }))
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/sensor-data',
      headers: { 'x-device-key': TEST_DEVICE_KEY },
      payload: { readings },
    })
    off()
    offBroken()
    expect(res.statusCode).toBeLessThan(300)
    // Acknowledged means published: by the time the answer came, every reading was in an event,
    // and each event was published after its rows were committed (visible on another connection).
    expect(commits.reduce((n, c) => n + c.count, 0)).toBe(25)
    for (const c of commits) expect(c.storedWhenPublished).toBeGreaterThanOrEqual(c.count)
    expect(st.app.domainEvents.stats().subscriberErrors['test:broken']).toBeGreaterThan(0)
  })
})

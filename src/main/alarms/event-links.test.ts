/**
 * Station events link to the alarms rules raise from them, against a real station: a device going
 * offline (the alarm first, the event a moment later), the same while its area is disarmed (the event
 * first, the alarm when a guard arms it), and a failed buzzer command (raised from the event itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm, Rule, RuleInput } from '../../shared/schemas/alarms'
import type { StationEvent } from '../../shared/schemas/entities'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'
import { waitFor } from '../ws/live-test-client'

let st: TestStation
let admin: string
let guard: string
const as = (token: string) => ({ authorization: `Bearer ${token}` })
const post = (url: string, token: string, payload: object, headers = as(token)) =>
  st.app.inject({ method: 'POST', url, headers, payload })
const ingest = (deviceId: string) =>
  post('/api/v1/ingest/sensor-data', '', { readings: [{ deviceId, sensor: 't', value: 1 }] }, {
    'x-device-key': TEST_DEVICE_KEY,
  } as never)
const createRule = async (input: RuleInput): Promise<Rule> => {
  const res = await post('/api/rules', admin, input)
  expect(res.statusCode, res.body).toBe(201)
  return res.json().data as Rule
}
const alarmOf = (ruleId: number): Alarm | undefined => st.app.alarms.alarms.list({ ruleId, limit: 1 })[0]
/** The events of a source through GET /api/events (what guards read). */
const events = async (sourceId: string): Promise<StationEvent[]> => {
  const res = await st.app.inject({ method: 'GET', url: '/api/events?limit=1000', headers: as(guard) })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json().data.events as StationEvent[]).filter((e) => e.sourceId === sourceId)
}

beforeAll(async () => {
  st = await createTestStation({ STATION_DEVICE_OFFLINE_MS: '1000' })
  admin = await st.login()
  guard = await st.guardToken()
})
afterAll(async () => {
  await st.close()
})

describe('events link to the alarms raised from them', () => {
  it('a device that went offline: its event names the alarm, its online event none', async () => {
    const rule = await createRule({
      name: 'Gate sensor offline',
      severity: 'critical',
      trigger: { kind: 'device-offline', deviceId: 'gate' },
    })
    await ingest('gate')
    const alarm = await waitFor(() => alarmOf(rule.id), 'offline alarm')
    const offline = await waitFor(
      async () => (await events('gate')).find((e) => e.type === 'device.offline' && e.alarmId !== null),
      'linked offline event',
    )
    expect(offline.alarmId).toBe(alarm.id)
    await ingest('gate')
    const online = await waitFor(
      async () => (await events('gate')).find((e) => e.type === 'device.online'),
      'online event',
    )
    expect(online.alarmId).toBeNull()
  })

  it('while the area is disarmed the event comes first; arming raises the alarm and links it', async () => {
    const area = await post('/api/areas', admin, { name: 'Warehouse' })
    expect(area.statusCode, area.body).toBe(201)
    const areaId = area.json().data.id as number
    const rule = await createRule({
      name: 'Warehouse hub offline',
      severity: 'warning',
      trigger: { kind: 'device-offline', deviceId: 'hub' },
      armedAreaId: areaId,
    })
    await ingest('hub')
    const offline = await waitFor(
      async () => (await events('hub')).find((e) => e.type === 'device.offline'),
      'offline event',
    )
    expect(offline.alarmId).toBeNull()
    expect(alarmOf(rule.id)).toBeUndefined()
    expect((await post(`/api/areas/${areaId}/arming`, guard, { armed: true })).statusCode).toBe(200)
    const alarm = await waitFor(() => alarmOf(rule.id), 'alarm once armed')
    const linked = await waitFor(
      async () => (await events('hub')).find((e) => e.id === offline.id && e.alarmId !== null),
      'event linked once armed',
    )
    expect(linked.alarmId).toBe(alarm.id)
  })

  it('a failed buzzer command: the buzzer.failed event names its alarm', async () => {
    const rule = await createRule({
      name: 'Horn broken',
      severity: 'warning',
      trigger: { kind: 'buzzer-failed', deviceId: 'horn' },
    })
    await ingest('horn')
    const cmd = await post('/api/v1/buzzer/horn', guard, { action: 'on', durationMs: 1000 })
    expect(cmd.statusCode, cmd.body).toBe(200)
    const id = cmd.json().data.requestId as string
    const ack = await post(
      `/api/v1/buzzer/requests/${id}/ack?deviceId=horn`,
      '',
      { ok: false, error: 'jammed' },
      {
        'x-device-key': TEST_DEVICE_KEY,
      } as never,
    )
    expect(ack.statusCode, ack.body).toBe(200)
    const alarm = await waitFor(() => alarmOf(rule.id), 'buzzer alarm')
    const failed = await waitFor(
      async () => (await events('horn')).find((e) => e.type === 'buzzer.failed' && e.alarmId !== null),
      'linked buzzer event',
    )
    expect(failed.alarmId).toBe(alarm.id)
  })
})

/**
 * STATION_TIME_ZONE against a real station: schedules without their own `timeZone` follow the site's zone
 * (not the machine's), `/api/health` tells the UI the zone, and a zone Intl does not know stops the start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Rule } from '../../shared/schemas/alarms'
import { loadConfig } from '../config'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'
import { localTime } from './schedule'

// 14 hours ahead of UTC: its hour and weekday are not those of a machine in any usual zone.
const SITE_ZONE = 'Pacific/Kiritimati'

describe('STATION_TIME_ZONE', () => {
  let st: TestStation
  let admin: string
  beforeAll(async () => {
    st = await createTestStation({ STATION_TIME_ZONE: SITE_ZONE })
    admin = await st.login()
  })
  afterAll(async () => {
    await st.close()
  })

  it('is the zone of schedules without their own', async () => {
    const machine = Intl.DateTimeFormat().resolvedOptions().timeZone
    const now = Date.now()
    const site = localTime(now, SITE_ZONE)
    const hh = (m: number) => String(Math.floor(m / 60) % 24).padStart(2, '0')
    // Two hours from the start of the site's current hour (this test cannot fall off its end).
    const from = `${hh(site.minute)}:00`
    const to = `${hh(site.minute + 120)}:00`
    const windows = [{ days: [site.day], from, to }]
    const post = async (name: string, sensor: string, timeZone?: string): Promise<Rule> => {
      const res = await st.app.inject({
        method: 'POST',
        url: '/api/rules',
        headers: { authorization: `Bearer ${admin}` },
        payload: {
          name,
          severity: 'warning',
          trigger: { kind: 'threshold', deviceId: 'gate', sensor, op: 'above', level: 0.5 },
          schedule: timeZone ? { timeZone, windows } : { windows },
        },
      })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().data as Rule
    }
    const siteRule = await post('Site hours', 'a')
    const machineRule = await post('Same hours, machine zone', 'b', machine)
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/sensor-data',
      headers: { 'x-device-key': TEST_DEVICE_KEY },
      payload: {
        readings: [
          { deviceId: 'gate', sensor: 'a', value: 1 },
          { deviceId: 'gate', sensor: 'b', value: 1 },
        ],
      },
    })
    expect(res.statusCode).toBe(200)
    expect(st.app.alarms.alarms.list({ ruleId: siteRule.id, limit: 10 })).toHaveLength(1)
    // The same hours in the machine's zone are not now (unless the machine runs on the site's zone).
    if (machine !== SITE_ZONE) {
      expect(st.app.alarms.alarms.list({ ruleId: machineRule.id, limit: 10 })).toHaveLength(0)
      expect(st.app.alarms.rules.get(machineRule.id)!.state.phase).toBe('pending')
    }
  })

  it('is in /api/health for the UI and reports', async () => {
    const res = await st.app.inject({ method: 'GET', url: '/api/health' })
    expect(res.json().data.timeZone).toBe(SITE_ZONE)
  })

  it('must be a zone Intl knows; unset, the machine zone', () => {
    expect(() => loadConfig({ STATION_TIME_ZONE: 'Mars/Olympus' })).toThrow(
      /STATION_TIME_ZONE must be an IANA time zone/,
    )
    expect(loadConfig({}).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)
  })
})

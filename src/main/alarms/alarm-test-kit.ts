/** What the alarm tests do to a real station: send readings through the ingest route, create rules as an admin, list a rule's alarms. */
import { expect } from 'vitest'
import type { Alarm, Rule, RuleInput } from '../../shared/schemas/alarms'
import { TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** `station` and `admin` are read when called: the tests set them in `beforeAll`. */
export function alarmTestKit(station: () => TestStation, admin: () => string) {
  return {
    ingest: (readings: { deviceId: string; sensor: string; value: number; ts?: number }[]) =>
      station().app.inject({
        method: 'POST',
        url: '/api/v1/ingest/sensor-data',
        headers: { 'x-device-key': TEST_DEVICE_KEY },
        payload: { readings },
      }),
    createRule: async (input: RuleInput): Promise<Rule> => {
      const res = await station().app.inject({
        method: 'POST',
        url: '/api/rules',
        headers: bearer(admin()),
        payload: input,
      })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().data as Rule
    },
    alarmsOf: (ruleId: number): Alarm[] => station().app.alarms.alarms.list({ ruleId, limit: 100 }),
  }
}

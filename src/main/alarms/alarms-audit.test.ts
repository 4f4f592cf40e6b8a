/**
 * The engine's own steps in the audit log against a real station: an alarm it opens and one it clears
 * (its condition ended after a guard acknowledged it) are entries by the station (`system`), chained with
 * the guards' entries; the whole chain still checks out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Rule } from '../../shared/schemas/alarms'
import { AuditRepository } from '../audit/audit-repository'
import { checkChain } from '../audit/chain-check'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'
import { waitFor } from '../ws/live-test-client'

describe('system audit entries for alarms', () => {
  let st: TestStation
  let admin: string
  let guard: string
  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
    guard = await st.guardToken()
  })
  afterAll(async () => {
    await st.close()
  })
  const ingest = (value: number) =>
    st.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/sensor-data',
      headers: { 'x-device-key': TEST_DEVICE_KEY },
      payload: { readings: [{ deviceId: 'vault', sensor: 'open', value }] },
    })
  const entries = () =>
    st.app.db
      .prepare(
        "SELECT action, actor_kind, actor_name, source, target_id FROM audit_log WHERE action LIKE 'alarm.%' ORDER BY seq",
      )
      .all() as {
      action: string
      actor_kind: string
      actor_name: string
      source: string
      target_id: string
    }[]

  it('records what the engine raised and cleared, by the station, and keeps the chain whole', async () => {
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/rules',
      headers: { authorization: `Bearer ${admin}` },
      payload: {
        name: 'Vault door',
        severity: 'critical',
        trigger: { kind: 'threshold', deviceId: 'vault', sensor: 'open', op: 'above', level: 0.5 },
      },
    })
    const rule = res.json().data as Rule
    expect((await ingest(1)).statusCode).toBe(200)
    const alarm = st.app.alarms.alarms.list({ ruleId: rule.id, limit: 1 })[0]!
    await waitFor(() => entries().find((e) => e.action === 'alarm.opened'), 'alarm.opened entry')
    const ack = await st.app.inject({
      method: 'POST',
      url: `/api/alarms/${alarm.id}/ack`,
      headers: { authorization: `Bearer ${guard}` },
      payload: {},
    })
    expect(ack.statusCode).toBe(200)
    expect((await ingest(0)).statusCode).toBe(200)
    await waitFor(() => entries().find((e) => e.action === 'alarm.cleared'), 'alarm.cleared entry')
    expect(entries()).toEqual([
      {
        action: 'alarm.opened',
        actor_kind: 'system',
        actor_name: 'station',
        source: 'station',
        target_id: String(alarm.id),
      },
      {
        action: 'alarm.acknowledge',
        actor_kind: 'user',
        actor_name: 'guard1',
        source: expect.any(String),
        target_id: String(alarm.id),
      },
      {
        action: 'alarm.cleared',
        actor_kind: 'system',
        actor_name: 'station',
        source: 'station',
        target_id: String(alarm.id),
      },
    ])
    expect(checkChain(new AuditRepository(st.app.db))).toMatchObject({ state: 'ok', partial: false })
  })
})

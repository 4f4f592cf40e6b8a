/**
 * `actions.fullscreen` against a real station: the rule names cameras that must exist, and the alarm it
 * raises carries them as `fullscreenCameraIds` (on the REST answer and on `/ws/live`); other alarms carry [].
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm, Rule, RuleInput } from '../../shared/schemas/alarms'
import type { LiveMessage } from '../../shared/schemas/live'
import { createTestStation, type TestStation } from '../server/test-helper'
import { waitFor } from '../ws/live-test-client'

describe('the fullscreen action', () => {
  let st: TestStation
  let admin: string
  let guard: string
  const live: LiveMessage[] = []
  const as = (token: string) => ({ authorization: `Bearer ${token}` })
  const postRule = (input: RuleInput) =>
    st.app.inject({ method: 'POST', url: '/api/rules', headers: as(admin), payload: input })
  const camera = async (name: string): Promise<number> => {
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: as(admin),
      payload: { name, kind: 'push' },
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().data.id as number
  }
  const raise = async (ruleId: number): Promise<Alarm> => {
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/alarms',
      headers: as(guard),
      payload: { ruleId },
    })
    expect(res.statusCode, res.body).toBe(200)
    return res.json().data as Alarm
  }

  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
    guard = await st.guardToken()
    st.app.live.subscribe({ username: 'admin', role: 'admin' }, (m) => live.push(m))
  })
  afterAll(async () => {
    await st.close()
  })

  it('refuses cameras that do not exist', async () => {
    const res = await postRule({
      name: 'Gate',
      severity: 'critical',
      trigger: { kind: 'manual' },
      actions: { fullscreen: { cameraIds: [9999] } },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/Camera 9999.*does not exist/)
  })

  it('the alarm carries the cameras to show fullscreen; without the action, none', async () => {
    const gate = await camera('Gate')
    const yard = await camera('Yard')
    const res = await postRule({
      name: 'Gate forced',
      severity: 'critical',
      trigger: { kind: 'manual' },
      actions: { fullscreen: { cameraIds: [yard, gate] } },
    })
    expect(res.statusCode, res.body).toBe(201)
    const rule = res.json().data as Rule
    expect(rule.actions.fullscreen).toEqual({ cameraIds: [yard, gate] })
    const alarm = await raise(rule.id)
    expect(alarm.fullscreenCameraIds).toEqual([yard, gate])
    const got = await st.app.inject({ method: 'GET', url: `/api/alarms/${alarm.id}`, headers: as(guard) })
    expect(got.json().data.fullscreenCameraIds).toEqual([yard, gate])
    const seen = await waitFor(
      () => live.find((m) => m.type === 'alarm' && m.alarm.id === alarm.id),
      'live alarm',
    )
    expect(seen.type === 'alarm' && seen.alarm.fullscreenCameraIds).toEqual([yard, gate])

    const plain = (await postRule({ name: 'Panic', severity: 'warning', trigger: { kind: 'manual' } })).json()
      .data as Rule
    expect((await raise(plain.id)).fullscreenCameraIds).toEqual([])
  })
})

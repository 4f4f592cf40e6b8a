/**
 * Alarm state and rule state survive `kill -9`: a headless station process opens an alarm, a guard
 * acknowledges it, another rule is pending on its hold time; the process is killed with SIGKILL and
 * started again on the same data folder. The rules keep their phases, the alarm its acknowledgement, and
 * the clearing reading after the restart ends the alarm the first run opened.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Alarm, Rule, RuleInput } from '../../shared/schemas/alarms'
import { adminToken, postBatch, startStationProcess, type StationProcess } from '../devices/station-process'

const dataDir = mkdtempSync(join(tmpdir(), 'station-alarms-restart-'))
const procs: StationProcess[] = []

afterAll(() => {
  for (const p of procs) p.child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

async function call<T>(url: string, token: string, method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const json = (await res.json()) as { data: T }
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json.data
}

describe('alarms across kill -9', () => {
  it('keeps rule phases, the open alarm and its acknowledgement', async () => {
    const first = await startStationProcess(dataDir)
    procs.push(first)
    let token = await adminToken(first.url)
    const rule = (input: RuleInput) => call<Rule>(first.url, token, 'POST', '/api/rules', input)
    const hot = await rule({
      name: 'Server room hot',
      severity: 'critical',
      trigger: {
        kind: 'threshold',
        deviceId: 'rack',
        sensor: 'temp',
        op: 'above',
        level: 35,
        clearLevel: 30,
      },
    })
    const slow = await rule({
      name: 'Server room humid',
      severity: 'warning',
      trigger: {
        kind: 'threshold',
        deviceId: 'rack',
        sensor: 'rh',
        op: 'above',
        level: 70,
        holdSeconds: 3600,
      },
    })
    const now = Date.now()
    expect(
      (
        await postBatch(first.url, [
          { deviceId: 'rack', sensor: 'temp', value: 40, ts: now },
          { deviceId: 'rack', sensor: 'rh', value: 80, ts: now },
        ])
      ).status,
    ).toBe(200)
    const [alarm] = await call<Alarm[]>(first.url, token, 'GET', `/api/alarms?ruleId=${hot.id}`)
    expect(alarm).toBeDefined()
    await call<Alarm>(first.url, token, 'POST', `/api/alarms/${alarm!.id}/ack`, { note: 'fan checked' })

    first.child.kill('SIGKILL')
    await first.exited

    const second = await startStationProcess(dataDir)
    procs.push(second)
    token = await adminToken(second.url)
    const rules = await call<Rule[]>(second.url, token, 'GET', '/api/rules')
    expect(rules.find((r) => r.id === hot.id)!.state.phase).toBe('active')
    const pending = rules.find((r) => r.id === slow.id)!.state
    expect(pending).toMatchObject({ phase: 'pending', pendingSince: now })
    const [after] = await call<Alarm[]>(second.url, token, 'GET', `/api/alarms?ruleId=${hot.id}`)
    expect(after).toMatchObject({
      id: alarm!.id,
      state: 'acknowledged',
      ackedBy: 'admin',
      ackNote: 'fan checked',
    })

    // The rule is still active after the restart: the clearing reading ends the first run's alarm.
    expect(
      (await postBatch(second.url, [{ deviceId: 'rack', sensor: 'temp', value: 25, ts: Date.now() }])).status,
    ).toBe(200)
    const [cleared] = await call<Alarm[]>(second.url, token, 'GET', `/api/alarms?ruleId=${hot.id}`)
    expect(cleared).toMatchObject({ id: alarm!.id, state: 'cleared', clearReason: 'condition' })
    second.child.kill('SIGTERM')
    await second.exited
  }, 120_000)
})

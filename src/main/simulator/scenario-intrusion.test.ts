/**
 * `--scenario intrusion` against a real station on a loopback port (real ffmpeg decodes the simulated
 * camera's JPEGs for motion): the three alarms are raised, the door's with its siren and fullscreen
 * camera; a second run reuses what the first created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ADMIN_PASSWORD, TEST_DEVICE_KEY } from '../server/test-helper'
import { startVideoStation, type VideoStation } from '../video/test-support'
import { runIntrusionScenario, SIM_NAMES } from './scenario-intrusion'

let s: VideoStation
beforeAll(async () => {
  s = await startVideoStation()
}, 60_000)
afterAll(async () => {
  await s?.station.close()
})

describe('the intrusion scenario', () => {
  it('raises the door, motion and temperature alarms, and runs again on what it set up', async () => {
    const lines: string[] = []
    const run = () =>
      runIntrusionScenario({
        url: s.url,
        key: TEST_DEVICE_KEY,
        adminPassword: TEST_ADMIN_PASSWORD,
        log: (l) => lines.push(l),
      })
    const alarms = await run()
    expect(alarms.map((a) => a.ruleName)).toEqual([
      SIM_NAMES.rules.door,
      SIM_NAMES.rules.motion,
      SIM_NAMES.rules.temp,
    ])
    const door = alarms[0]!
    expect(door.severity).toBe('critical')
    expect(door.fullscreenCameraIds).toHaveLength(1)
    expect(lines).toContain(
      `Door contact opened on ${SIM_NAMES.door} → expect a critical alarm, the siren on ${SIM_NAMES.buzzer} and a recording`,
    )
    expect(lines.some((l) => l.startsWith(`  ✔ buzzer ${SIM_NAMES.buzzer} got: on`))).toBe(true)
    expect(lines.at(-1)).toMatch(/^Done: 3 of 3 alarms raised/)

    // Idempotent: the same area, camera and rules, and new alarms.
    lines.length = 0
    const again = await run()
    if (again.length !== 3) console.log(lines.join('\n'))
    expect(again).toHaveLength(3)
    expect(again[0]!.id).not.toBe(door.id)
    expect(s.station.app.alarms.rules.list().filter((r) => r.name.startsWith('Sim: '))).toHaveLength(3)
    const cams = s.station.app.db
      .prepare('SELECT count(*) FROM cameras WHERE name = ?')
      .pluck()
      .get(SIM_NAMES.camera)
    expect(cams).toBe(1)
  }, 240_000)
})

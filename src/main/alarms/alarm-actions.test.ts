import { describe, expect, it } from 'vitest'
import type { Alarm } from '../../shared/schemas/alarms'
import { AlarmActions, snapshotCameras, type AlarmRecorder } from './alarm-actions'
import type { AlarmService } from './alarm-service'
import type { CompiledRule } from './compile-rule'

const DAY = 86_400_000

describe('alarm actions: recording', () => {
  it('records the named cameras from the pre-roll to the post-roll and protects it for 30 days', async () => {
    const calls: unknown[][] = []
    const recording: AlarmRecorder = {
      trigger: async (...a) => (calls.push(['trigger', ...a]), a[0] === 9 ? undefined : { markId: 1 }),
      protect: async (...a) => (calls.push(['protect', ...a]), { holdId: 1, segments: 0 }),
    }
    const notes: unknown[] = []
    const alarms = { note: (_id: number, patch: unknown) => notes.push(patch) } as unknown as AlarmService
    const now = 1_000_000_000_000
    const actions = new AlarmActions({
      alarms,
      buzzers: { create: () => Promise.reject(new Error('unused')) },
      recording,
      log: { error: () => {} },
      now: () => now,
    })
    const rule = {
      actions: { record: { cameraIds: [3, 9], preRollSeconds: 5, postRollSeconds: 20 } },
    } as unknown as CompiledRule
    actions.onOpened({ id: 42 } as Alarm, rule)
    await expect.poll(() => notes.length).toBe(1)
    expect(calls).toContainEqual(['trigger', 3, { reason: 'alarm', ref: 'alarm:42', untilMs: now + 20_000 }])
    expect(calls).toContainEqual([
      'protect',
      3,
      now - 5_000,
      now + 20_000,
      now + 30 * DAY,
      'alarm 42',
      { kind: 'alarm', id: '42' },
    ])
    expect(notes[0]).toEqual({
      recordings: [
        { cameraId: 3, fromMs: now - 5_000, toMs: now + 20_000, keepUntil: now + 30 * DAY, error: null },
        {
          cameraId: 9,
          fromMs: now - 5_000,
          toMs: now + 20_000,
          keepUntil: now + 30 * DAY,
          error: 'camera 9 does not exist',
        },
      ],
    })
  })
})

describe('alarm actions: which cameras get a picture', () => {
  it("names the recorded and fullscreen cameras and a motion trigger's camera, once each", () => {
    const rule = (trigger: object, actions: object) =>
      ({ trigger, actions }) as unknown as Pick<CompiledRule, 'actions' | 'trigger'>
    expect(
      snapshotCameras(
        rule(
          { kind: 'camera-motion', cameraId: 4 },
          { record: { cameraIds: [3, 4] }, fullscreen: { cameraIds: [5] } },
        ),
      ),
    ).toEqual([3, 4, 5])
    // An offline camera has no picture to give.
    expect(
      snapshotCameras(rule({ kind: 'camera-offline', cameraId: 3 }, { record: { cameraIds: [3, 7] } })),
    ).toEqual([7])
    expect(snapshotCameras(rule({ kind: 'manual' }, {}))).toEqual([])
  })
})

import { Value } from '@sinclair/typebox/value'
import { describe, expect, it } from 'vitest'
import { RuleInput, type Rule } from '../../../../shared/schemas/alarms'
import {
  draftOf,
  emptyRuleDraft,
  ruleStateText,
  toRuleInput,
  validateRule,
  type RuleDraft,
} from './rule-form'

const draft = (patch: Partial<RuleDraft>): RuleDraft => ({ ...emptyRuleDraft(), ...patch })

describe('the rule form', () => {
  it('says in plain words what is missing', () => {
    const e = validateRule(draft({ kind: 'threshold' }))
    expect(e.name).toBe('Give the rule a name.')
    expect(e.deviceId).toBe('Choose the device.')
    expect(e.sensor).toBe('Name the sensor.')
    expect(e.level).toBe('Enter the level as a number.')
    expect(
      validateRule(
        draft({ name: 'x', kind: 'threshold', deviceId: 'd', sensor: 's', level: '30', clearLevel: '35' }),
      ).clearLevel,
    ).toBe('The clear level must be at or below the level.')
    expect(
      validateRule(draft({ name: 'x', kind: 'rate', deviceId: 'd', sensor: 's', amount: '0' })).amount,
    ).toMatch(/more than 0/)
    expect(validateRule(draft({ name: 'x', kind: 'camera-motion' })).cameraId).toBe('Choose the camera.')
    expect(validateRule(draft({ name: 'x', kind: 'manual', record: true })).recordCameraIds).toMatch(
      /at least one camera/,
    )
    expect(
      validateRule(
        draft({
          name: 'x',
          kind: 'manual',
          scheduled: true,
          windows: [{ days: [], from: '18:00', to: '06:00' }],
        }),
      ).windows,
    ).toMatch(/at least one day/)
  })

  it('sends what the station schema accepts, for every trigger kind and action', () => {
    const drafts: Partial<RuleDraft>[] = [
      {
        kind: 'threshold',
        deviceId: 'f',
        sensor: 't',
        op: 'above',
        level: '30',
        clearLevel: '25',
        holdSeconds: '5',
      },
      { kind: 'threshold', deviceId: 'f', sensor: 't', op: 'outside', low: '2', high: '8' },
      { kind: 'rate', deviceId: 'f', sensor: 't', direction: 'either', amount: '3', perSeconds: '60' },
      { kind: 'no-reading', deviceId: 'f', seconds: '600' },
      { kind: 'device-offline', deviceId: 'f' },
      { kind: 'camera-offline', cameraId: '2' },
      { kind: 'camera-motion', cameraId: '2', zones: 'Gate, 2' },
      { kind: 'buzzer-failed' },
      {
        kind: 'manual',
        scheduled: true,
        timeZone: 'Europe/Berlin',
        areaId: '4',
        siren: true,
        sirenDeviceId: 'b1',
        sirenSeconds: '20',
        sirenPattern: 'sos',
        record: true,
        recordCameraIds: [2, 3],
        fullscreenCameraIds: [3],
        escalate: true,
      },
    ]
    for (const p of drafts) {
      const d = draft({ name: 'Rule', ...p })
      expect(validateRule(d), JSON.stringify(p)).toEqual({})
      const input = toRuleInput(d)
      expect(Value.Check(RuleInput, input), JSON.stringify(input)).toBe(true)
    }
    const motion = toRuleInput(draft({ name: 'M', kind: 'camera-motion', cameraId: '2', zones: 'Gate, 2' }))
    expect(motion.trigger).toEqual({ kind: 'camera-motion', cameraId: 2, zones: ['Gate', '2'] })
    const all = toRuleInput(draft({ name: 'A', ...drafts.at(-1)! }))
    expect(all.actions).toEqual({
      siren: { deviceId: 'b1', durationMs: 20_000, pattern: 'sos' },
      record: { cameraIds: [2, 3], preRollSeconds: 10, postRollSeconds: 30, keepDays: 30 },
      fullscreen: { cameraIds: [3] },
      escalate: { afterSeconds: 300, severity: 'critical' },
    })
    expect(all.schedule).toEqual({
      timeZone: 'Europe/Berlin',
      windows: [{ days: [1, 2, 3, 4, 5], from: '18:00', to: '06:00' }],
    })
    expect(all.armedAreaId).toBe(4)
  })

  it('edits a stored rule back to the same input, and says its state', () => {
    const input = toRuleInput(
      draft({
        name: 'R',
        kind: 'rate',
        deviceId: 'f',
        sensor: 't',
        amount: '2',
        perSeconds: '30',
        fullscreenCameraIds: [1],
      }),
    )
    const rule: Rule = {
      id: 1,
      name: input.name,
      enabled: true,
      disabledReason: null,
      severity: input.severity,
      trigger: input.trigger,
      schedule: null,
      armedAreaId: null,
      actions: input.actions ?? {},
      state: { phase: 'pending', pendingSince: 1, activeSince: null, clearedAt: null },
      createdAt: 1,
      updatedAt: 1,
    }
    expect(toRuleInput(draftOf(rule))).toEqual(input)
    expect(ruleStateText(rule)).toBe('Waiting (the condition holds)')
    expect(ruleStateText({ ...rule, enabled: false, disabledReason: 'bad zone' })).toBe(
      'Switched off by the station: bad zone',
    )
  })
})

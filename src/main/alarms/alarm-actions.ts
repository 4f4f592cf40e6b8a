/**
 * A rule's actions when its alarm opens: sound the siren (a buzzer command through the confirmed buzzer
 * lifecycle; an offline or unknown device is written on the alarm as "not sounded") and record the named
 * cameras from the pre-roll to the post-roll, protected from retention (default 30 days); take a picture of
 * each camera the alarm concerns (snapshots/). What each did is written on the alarm and its history; a
 * failing action never stops the others.
 */
import type { BuzzerService } from '../services'
import type { Alarm, AlarmRecording } from '../../shared/schemas/alarms'
import type { AlarmActionRunner, AlarmService } from './alarm-service'
import type { CompiledRule } from './compile-rule'

export const DEFAULT_KEEP_DAYS = 30
const DAY_MS = 86_400_000

export interface AlarmRecorder {
  trigger(cameraId: number, opts: { reason: 'alarm'; ref?: string; untilMs?: number }): Promise<unknown>
  protect(
    cameraId: number,
    fromMs: number,
    toMs: number,
    keepUntilMs: number,
    reason: string,
    source?: { kind: string; id: string },
  ): Promise<unknown>
}

export interface AlarmActionDeps {
  alarms: AlarmService
  buzzers: Pick<BuzzerService, 'create'>
  recording: AlarmRecorder
  /** Pictures of the alarm's cameras, taken in the background (snapshots/alarm-snapshots.ts). */
  snapshots?: { capture(alarmId: number, cameraIds: readonly number[]): void }
  log: { error(obj: object, msg: string): void }
  now?: () => number
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))

export class AlarmActions implements AlarmActionRunner {
  constructor(private readonly deps: AlarmActionDeps) {}

  onOpened(alarm: Alarm, rule: CompiledRule): void {
    this.deps.snapshots?.capture(alarm.id, snapshotCameras(rule))
    const run = async () => {
      await Promise.all([this.siren(alarm, rule), this.record(alarm, rule)])
    }
    run().catch((err: unknown) => this.deps.log.error({ err, alarmId: alarm.id }, 'alarm action failed'))
  }

  private async siren(alarm: Alarm, rule: CompiledRule): Promise<void> {
    const s = rule.actions.siren
    if (!s) return
    const { alarms } = this.deps
    try {
      const r = await this.deps.buzzers.create({
        deviceId: s.deviceId,
        action: 'on',
        durationMs: s.durationMs,
        pattern: s.pattern,
        requestedBy: null,
      })
      alarms.trackSiren(r.id, alarm.id)
      alarms.note(
        alarm.id,
        { siren: { deviceId: s.deviceId, status: r.status, requestId: r.id, error: null } },
        { kind: 'siren', detail: { status: r.status, requestId: r.id } },
      )
    } catch (err) {
      const error = messageOf(err)
      alarms.note(
        alarm.id,
        { siren: { deviceId: s.deviceId, status: 'not-sounded', requestId: null, error } },
        {
          kind: 'siren',
          note: `The siren could not be sounded: ${error}`,
          detail: { status: 'not-sounded' },
        },
      )
    }
  }

  private async record(alarm: Alarm, rule: CompiledRule): Promise<void> {
    const rec = rule.actions.record
    if (!rec) return
    const now = this.deps.now?.() ?? Date.now()
    const fromMs = now - (rec.preRollSeconds ?? 10) * 1000
    const toMs = now + (rec.postRollSeconds ?? 30) * 1000
    const keepUntil = now + (rec.keepDays ?? DEFAULT_KEEP_DAYS) * DAY_MS
    const ref = `alarm:${alarm.id}`
    const results = await Promise.all(
      rec.cameraIds.map(async (cameraId): Promise<AlarmRecording> => {
        try {
          const started = await this.deps.recording.trigger(cameraId, { reason: 'alarm', ref, untilMs: toMs })
          if (started === undefined) throw new Error(`camera ${cameraId} does not exist`)
          await this.deps.recording.protect(cameraId, fromMs, toMs, keepUntil, `alarm ${alarm.id}`, {
            kind: 'alarm',
            id: String(alarm.id),
          })
          return { cameraId, fromMs, toMs, keepUntil, error: null }
        } catch (err) {
          return { cameraId, fromMs, toMs, keepUntil, error: messageOf(err) }
        }
      }),
    )
    this.deps.alarms.note(alarm.id, { recordings: results }, { kind: 'recording', detail: results })
  }
}

/**
 * The cameras an alarm's pictures are taken of: those its rule records, those it shows fullscreen (when
 * the rule has that action), and a motion trigger's camera. A camera-offline trigger's camera is left
 * out: it has no picture to give.
 */
export function snapshotCameras(rule: Pick<CompiledRule, 'actions' | 'trigger'>): number[] {
  const ids = [...(rule.actions.record?.cameraIds ?? [])]
  const fullscreen = (rule.actions as { fullscreen?: { cameraIds?: readonly number[] } }).fullscreen
  ids.push(...(fullscreen?.cameraIds ?? []))
  if (rule.trigger.kind === 'camera-motion') ids.push(rule.trigger.cameraId)
  const offline = rule.trigger.kind === 'camera-offline' ? rule.trigger.cameraId : undefined
  return [...new Set(ids)].filter((id) => id !== offline)
}

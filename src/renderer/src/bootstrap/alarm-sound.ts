/**
 * The desk's alarm sound: while any alarm is active (nobody has acknowledged it, on any desk) the loudest
 * one's pattern repeats: critical every 3 s, warning every 10 s; an info alarm sounds once. A new alarm
 * sounds at once. Muting this desk, or the last acknowledgement arriving live, stops it.
 */
import type { Alarm, AlarmSeverity } from '../../../shared/contract'
import { loudestActive } from '../store/alarm-order'

export const REPEAT_MS: Record<AlarmSeverity, number | null> = { critical: 3000, warning: 10_000, info: null }

export interface AlarmSoundDeps {
  play(severity: AlarmSeverity): void
  setInterval(fn: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
  /** What sounds now (null: silent): the page marks it, so the badge can pulse while it sounds. */
  onChange?(severity: AlarmSeverity | null): void
}

export interface AlarmSound {
  /** The desk's alarms and mute setting changed. */
  update(alarms: readonly Alarm[], muted: boolean): void
  stop(): void
}

export function createAlarmSound(deps: AlarmSoundDeps): AlarmSound {
  let timer: unknown = null
  let playing: AlarmSeverity | null = null
  let heard = new Set<number>()

  const stop = () => {
    if (timer !== null) deps.clearInterval(timer)
    timer = null
    if (playing !== null) deps.onChange?.(null)
    playing = null
  }
  const start = (severity: AlarmSeverity) => {
    stop()
    playing = severity
    deps.onChange?.(severity)
    deps.play(severity)
    const every = REPEAT_MS[severity]
    if (every !== null) timer = deps.setInterval(() => deps.play(severity), every)
  }

  return {
    update(alarms, muted) {
      const active = alarms.filter((a) => a.state === 'active')
      const ids = new Set(active.map((a) => a.id))
      const arrived = active.some((a) => !heard.has(a.id))
      heard = ids
      const loudest = loudestActive(active)
      if (muted || loudest === null) return stop()
      // Louder than what sounds, or a new alarm: sound now (and repeat from now).
      if (arrived || playing === null || playing !== loudest) start(loudest)
    },
    stop,
  }
}

/**
 * The report's figures and wording, shared by the HTML page and the PDF: the summary (alarms by
 * severity, how many were acknowledged and resolved, time to acknowledge), times in the report's zone,
 * and plain sentences for a night-shift guard (what the siren did, what each history step was).
 */
import { ALARM_SEVERITIES, type Alarm, type AlarmSeverity } from '../../shared/schemas/alarms'
import type { HandoverData, ReportAlarm } from './handover-data'

export interface HandoverSummary {
  total: number
  bySeverity: Record<AlarmSeverity, number>
  acknowledged: number
  resolved: number
  stillOpen: number
  /** Time from opening to acknowledgement, of the acknowledged alarms (ms); null when none. */
  ackMedianMs: number | null
  ackMaxMs: number | null
}

export function summarize(alarms: readonly Alarm[]): HandoverSummary {
  const bySeverity = Object.fromEntries(ALARM_SEVERITIES.map((s) => [s, 0])) as Record<AlarmSeverity, number>
  for (const a of alarms) bySeverity[a.severity]++
  const waits = alarms
    .filter((a) => a.ackedAt !== null)
    .map((a) => a.ackedAt! - a.openedAt)
    .sort((x, y) => x - y)
  const mid = waits.length >> 1
  return {
    total: alarms.length,
    bySeverity,
    acknowledged: waits.length,
    resolved: alarms.filter((a) => a.clearReason === 'resolved').length,
    stillOpen: alarms.filter((a) => a.state !== 'cleared').length,
    ackMedianMs:
      waits.length === 0 ? null : waits.length % 2 ? waits[mid]! : (waits[mid - 1]! + waits[mid]!) / 2,
    ackMaxMs: waits.at(-1) ?? null,
  }
}

/** "3 h 05 min", "4 min 10 s", "12 s". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

/** Formats epoch ms in the report's time zone: "2 Dec 2026, 03:14:05". */
export function timeFormatter(timeZone: string): (ms: number) => string {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  })
  return (ms) => f.format(ms)
}

export const SEVERITY_WORD: Record<AlarmSeverity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Information',
}

/** What the siren did, in words (null: the rule has no siren). */
export function sirenOutcome(a: Alarm): string | null {
  const s = a.siren
  if (!s) return null
  const why = s.error ? `: ${s.error}` : ''
  switch (s.status) {
    case 'acknowledged':
      return `Sounded on ${s.deviceId} (the device confirmed it)`
    case 'failed':
      return `Failed on ${s.deviceId}${why}`
    case 'expired':
      return `No answer from ${s.deviceId} (the command expired)`
    case 'not-sounded':
      return `Not sounded on ${s.deviceId}${why}`
    default:
      return `Sent to ${s.deviceId}, not confirmed yet (${s.status})`
  }
}

const STEP_WORD: Record<string, string> = {
  opened: 'Raised',
  repeat: 'Happened again',
  'condition-ended': 'Condition ended',
  acknowledged: 'Acknowledged',
  assigned: 'Assigned',
  resolved: 'Resolved',
  cleared: 'Cleared',
  escalated: 'Made more severe',
  siren: 'Siren',
  recording: 'Recording',
  snapshot: 'Pictures taken',
  note: 'Note',
}

export const stepWord = (kind: string): string => STEP_WORD[kind] ?? kind

/** Where the alarm came from, in words. */
export function sourceText(a: Alarm, cameraName: (id: number) => string): string {
  switch (a.sourceKind) {
    case 'camera':
      return cameraName(Number(a.sourceId))
    case 'device':
      return `Device ${a.sourceId}`
    case 'buzzer':
      return `Buzzer ${a.sourceId}`
    case 'user':
      return `Raised by ${a.sourceId}`
    default:
      return `${a.sourceKind} ${a.sourceId}`
  }
}

/** The recordings line of an alarm, one per camera. */
export function recordingLines(a: ReportAlarm, data: HandoverData, at: (ms: number) => string): string[] {
  return a.recordings.map((r) =>
    r.error
      ? `${data.cameraName(r.cameraId)}: not recorded (${r.error})`
      : `${data.cameraName(r.cameraId)}: ${at(r.fromMs)} to ${at(r.toMs)}, kept until ${at(r.keepUntil)}`,
  )
}

/** "Acknowledged 03:10:00 by anna (after 4 min 10 s)" style lines for the times of an alarm. */
export function timeLines(a: Alarm, at: (ms: number) => string): string[] {
  const lines = [`Raised ${at(a.openedAt)}`]
  if (a.ackedAt !== null)
    lines.push(
      `Acknowledged ${at(a.ackedAt)} by ${a.ackedBy ?? 'the station'} (after ${duration(a.ackedAt - a.openedAt)})`,
    )
  else lines.push('Not acknowledged')
  if (a.clearedAt !== null) {
    const how = a.clearReason === 'resolved' ? 'Resolved' : 'Cleared (condition ended)'
    lines.push(`${how} ${at(a.clearedAt)}${a.clearedBy ? ` by ${a.clearedBy}` : ''}`)
  } else lines.push('Still open')
  return lines
}

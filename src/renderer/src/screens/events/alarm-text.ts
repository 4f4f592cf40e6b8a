/** Plain words for alarms on the console (a night-shift guard reads these). */
import type { Alarm } from '../../../../shared/contract'

export const SEVERITY_TONE: Record<string, 'muted' | 'warn' | 'bad'> = {
  info: 'muted',
  warning: 'warn',
  critical: 'bad',
}

export function stateText(a: Alarm): string {
  if (a.state === 'active') return a.conditionEndedAt !== null ? 'Waiting (condition over)' : 'Waiting'
  if (a.state === 'acknowledged') return `Acknowledged by ${a.ackedBy ?? 'someone'}`
  return a.clearReason === 'resolved' ? `Resolved by ${a.clearedBy ?? 'someone'}` : 'Cleared'
}

export function sourceText(a: Alarm): string {
  if (a.sourceKind === 'device') return `Device ${a.sourceId}`
  if (a.sourceKind === 'camera') return `Camera ${a.sourceId}`
  if (a.sourceKind === 'user') return `Raised by ${a.sourceId}`
  return `${a.sourceKind} ${a.sourceId}`
}

const HISTORY: Record<string, string> = {
  opened: 'Alarm opened',
  repeat: 'Happened again',
  'condition-ended': 'Condition over',
  acknowledged: 'Acknowledged',
  assigned: 'Assigned',
  resolved: 'Resolved',
  cleared: 'Cleared',
  escalated: 'Severity raised',
  siren: 'Siren',
  recording: 'Recording',
  note: 'Note',
}
export const historyText = (kind: string): string => HISTORY[kind] ?? kind

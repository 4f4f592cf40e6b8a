/** An alarm as the station sends it, for the console's tests. */
import type { Alarm } from '../../../shared/contract'

export const alarm = (id: number, over: Partial<Alarm> = {}): Alarm => ({
  id,
  ruleId: id,
  ruleName: `Rule ${id}`,
  severity: 'warning',
  state: 'active',
  sourceKind: 'device',
  sourceId: 'esp-1',
  message: `alarm ${id}`,
  openedAt: 1000 + id,
  lastTriggeredAt: 1000 + id,
  repeatCount: 0,
  conditionEndedAt: null,
  ackedAt: null,
  ackedBy: null,
  ackNote: null,
  assignedTo: null,
  clearedAt: null,
  clearedBy: null,
  clearReason: null,
  escalatedAt: null,
  siren: null,
  recordings: [],
  ...over,
})

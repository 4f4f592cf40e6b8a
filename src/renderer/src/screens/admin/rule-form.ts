/**
 * The rule editor's draft (text fields as typed), its checks in plain words before sending, and the
 * `RuleInput` it sends. The station's schema and checks stay the authority: what they refuse is shown as
 * they say it.
 */
import type {
  AlarmSeverity,
  Rule,
  RuleActions,
  RuleInput,
  RuleTrigger,
  RuleTriggerKind,
} from '../../../../shared/schemas/alarms'
import type { BUZZER_PATTERNS } from '../../../../shared/constants'

type BuzzerPattern = (typeof BUZZER_PATTERNS)[number]

export interface WindowDraft {
  days: number[]
  from: string
  to: string
}

export interface RuleDraft {
  name: string
  enabled: boolean
  severity: AlarmSeverity
  kind: RuleTriggerKind
  deviceId: string
  sensor: string
  op: 'above' | 'below' | 'outside'
  level: string
  clearLevel: string
  low: string
  high: string
  holdSeconds: string
  direction: 'rise' | 'fall' | 'either'
  amount: string
  perSeconds: string
  seconds: string
  cameraId: string
  /** Motion zones, comma separated (names or numbers). */
  zones: string
  scheduled: boolean
  timeZone: string
  windows: WindowDraft[]
  areaId: string
  siren: boolean
  sirenDeviceId: string
  sirenSeconds: string
  sirenPattern: BuzzerPattern | ''
  record: boolean
  recordCameraIds: number[]
  preRollSeconds: string
  postRollSeconds: string
  keepDays: string
  fullscreenCameraIds: number[]
  escalate: boolean
  escalateSeconds: string
  escalateSeverity: AlarmSeverity
}

export type RuleErrors = Partial<Record<keyof RuleDraft, string>>

export const TRIGGER_LABELS: Record<RuleTriggerKind, string> = {
  threshold: 'A sensor reading goes past a level',
  rate: 'A sensor reading changes fast',
  'no-reading': 'A device stops sending readings',
  'device-offline': 'A device goes offline',
  'camera-offline': 'A camera goes offline',
  'camera-motion': 'Motion on a camera',
  'buzzer-failed': 'A buzzer command fails',
  manual: 'A guard raises it by hand',
}

export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const

export function emptyRuleDraft(): RuleDraft {
  return {
    name: '',
    enabled: true,
    severity: 'warning',
    kind: 'threshold',
    deviceId: '',
    sensor: '',
    op: 'above',
    level: '',
    clearLevel: '',
    low: '',
    high: '',
    holdSeconds: '',
    direction: 'rise',
    amount: '',
    perSeconds: '60',
    seconds: '300',
    cameraId: '',
    zones: '',
    scheduled: false,
    timeZone: '',
    windows: [{ days: [1, 2, 3, 4, 5], from: '18:00', to: '06:00' }],
    areaId: '',
    siren: false,
    sirenDeviceId: '',
    sirenSeconds: '',
    sirenPattern: '',
    record: false,
    recordCameraIds: [],
    preRollSeconds: '10',
    postRollSeconds: '30',
    keepDays: '30',
    fullscreenCameraIds: [],
    escalate: false,
    escalateSeconds: '300',
    escalateSeverity: 'critical',
  }
}

const str = (v: number | undefined) => (v === undefined ? '' : String(v))

/** The draft of a stored rule, for editing. */
export function draftOf(rule: Rule): RuleDraft {
  const d = emptyRuleDraft()
  const t = rule.trigger as Partial<Record<string, unknown>> & RuleTrigger
  const a = rule.actions
  return {
    ...d,
    name: rule.name,
    enabled: rule.enabled,
    severity: rule.severity,
    kind: t.kind,
    deviceId: typeof t.deviceId === 'string' ? t.deviceId : '',
    sensor: typeof t.sensor === 'string' ? t.sensor : '',
    ...(t.kind === 'threshold'
      ? {
          op: t.op,
          level: str(t.level),
          clearLevel: str(t.clearLevel),
          low: str(t.low),
          high: str(t.high),
          holdSeconds: str(t.holdSeconds),
        }
      : {}),
    ...(t.kind === 'rate'
      ? {
          direction: t.direction,
          amount: String(t.amount),
          perSeconds: String(t.perSeconds),
          holdSeconds: str(t.holdSeconds),
        }
      : {}),
    ...(t.kind === 'no-reading' ? { seconds: String(t.seconds) } : {}),
    ...('cameraId' in t ? { cameraId: String(t.cameraId) } : {}),
    zones: t.kind === 'camera-motion' ? (t.zones ?? []).join(', ') : '',
    scheduled: rule.schedule !== null,
    timeZone: rule.schedule?.timeZone ?? '',
    windows: rule.schedule ? rule.schedule.windows.map((w) => ({ ...w, days: [...w.days] })) : d.windows,
    areaId: rule.armedAreaId === null ? '' : String(rule.armedAreaId),
    siren: a.siren !== undefined,
    sirenDeviceId: a.siren?.deviceId ?? '',
    sirenSeconds: a.siren?.durationMs === undefined ? '' : String(a.siren.durationMs / 1000),
    sirenPattern: a.siren?.pattern ?? '',
    record: a.record !== undefined,
    recordCameraIds: a.record?.cameraIds ?? [],
    preRollSeconds: str(a.record?.preRollSeconds) || d.preRollSeconds,
    postRollSeconds: str(a.record?.postRollSeconds) || d.postRollSeconds,
    keepDays: str(a.record?.keepDays) || d.keepDays,
    fullscreenCameraIds: a.fullscreen?.cameraIds ?? [],
    escalate: a.escalate !== undefined,
    escalateSeconds: str(a.escalate?.afterSeconds) || d.escalateSeconds,
    escalateSeverity: a.escalate?.severity ?? d.escalateSeverity,
  }
}

const num = (s: string) => (s.trim() === '' ? undefined : Number(s.trim()))
const isNum = (s: string) => s.trim() !== '' && Number.isFinite(Number(s.trim()))
const isWhole = (s: string, min: number, max: number) =>
  /^\d+$/.test(s.trim()) && Number(s) >= min && Number(s) <= max
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/

const needsDevice = (k: RuleTriggerKind) =>
  k === 'threshold' || k === 'rate' || k === 'no-reading' || k === 'device-offline'
const needsCamera = (k: RuleTriggerKind) => k === 'camera-offline' || k === 'camera-motion'

/** What is wrong with the draft, in words a guard supervisor understands (empty: ready to send). */
export function validateRule(d: RuleDraft): RuleErrors {
  const e: RuleErrors = {}
  if (!d.name.trim()) e.name = 'Give the rule a name.'
  if (needsDevice(d.kind) && !d.deviceId.trim()) e.deviceId = 'Choose the device.'
  if ((d.kind === 'threshold' || d.kind === 'rate') && !d.sensor.trim()) e.sensor = 'Name the sensor.'
  if (d.kind === 'threshold') {
    if (d.op === 'outside') {
      if (!isNum(d.low)) e.low = 'Enter the lowest normal value.'
      if (!isNum(d.high)) e.high = 'Enter the highest normal value.'
      else if (isNum(d.low) && Number(d.low) > Number(d.high))
        e.high = 'The highest value must not be below the lowest.'
    } else {
      if (!isNum(d.level)) e.level = 'Enter the level as a number.'
      if (d.clearLevel.trim() && !isNum(d.clearLevel))
        e.clearLevel = 'Enter the clear level as a number, or leave it empty.'
      else if (isNum(d.level) && isNum(d.clearLevel)) {
        const bad =
          d.op === 'above' ? Number(d.clearLevel) > Number(d.level) : Number(d.clearLevel) < Number(d.level)
        if (bad)
          e.clearLevel = `The clear level must be ${d.op === 'above' ? 'at or below' : 'at or above'} the level.`
      }
    }
  }
  if (d.kind === 'rate') {
    if (!isNum(d.amount) || Number(d.amount) <= 0) e.amount = 'Enter how much it must change (more than 0).'
    if (!isWhole(d.perSeconds, 1, 86_400)) e.perSeconds = 'Enter the seconds, from 1 to 86400.'
  }
  if (
    (d.kind === 'threshold' || d.kind === 'rate') &&
    d.holdSeconds.trim() &&
    !isWhole(d.holdSeconds, 0, 604_800)
  ) {
    e.holdSeconds = 'Enter whole seconds, or leave it empty.'
  }
  if (d.kind === 'no-reading' && !isWhole(d.seconds, 1, 604_800))
    e.seconds = 'Enter whole seconds (at least 1).'
  if (needsCamera(d.kind) && !d.cameraId) e.cameraId = 'Choose the camera.'
  if (d.scheduled) {
    const bad = d.windows.find((w) => w.days.length === 0 || !TIME.test(w.from) || !TIME.test(w.to))
    if (d.windows.length === 0 || bad)
      e.windows = 'Each time window needs at least one day and times like 18:00.'
  }
  if (d.siren && !d.sirenDeviceId.trim()) e.sirenDeviceId = 'Choose the siren device.'
  if (d.siren && d.sirenSeconds.trim() && !(isNum(d.sirenSeconds) && Number(d.sirenSeconds) > 0)) {
    e.sirenSeconds = 'Enter the seconds the siren sounds, or leave it empty.'
  }
  if (d.record) {
    if (d.recordCameraIds.length === 0) e.recordCameraIds = 'Choose at least one camera to record.'
    if (!isWhole(d.preRollSeconds, 0, 600)) e.preRollSeconds = 'Enter 0 to 600 seconds.'
    if (!isWhole(d.postRollSeconds, 0, 3600)) e.postRollSeconds = 'Enter 0 to 3600 seconds.'
    if (!isWhole(d.keepDays, 1, 3650)) e.keepDays = 'Enter 1 to 3650 days.'
  }
  if (d.escalate && !isWhole(d.escalateSeconds, 1, 86_400)) e.escalateSeconds = 'Enter 1 to 86400 seconds.'
  return e
}

function triggerOf(d: RuleDraft): RuleTrigger {
  const deviceId = d.deviceId.trim()
  const sensor = d.sensor.trim()
  const hold = num(d.holdSeconds)
  const holdPart = hold === undefined ? {} : { holdSeconds: hold }
  switch (d.kind) {
    case 'threshold':
      return d.op === 'outside'
        ? {
            kind: 'threshold',
            deviceId,
            sensor,
            op: 'outside',
            low: Number(d.low),
            high: Number(d.high),
            ...holdPart,
          }
        : {
            kind: 'threshold',
            deviceId,
            sensor,
            op: d.op,
            level: Number(d.level),
            ...(isNum(d.clearLevel) ? { clearLevel: Number(d.clearLevel) } : {}),
            ...holdPart,
          }
    case 'rate':
      return {
        kind: 'rate',
        deviceId,
        sensor,
        direction: d.direction,
        amount: Number(d.amount),
        perSeconds: Number(d.perSeconds),
        ...holdPart,
      }
    case 'no-reading':
      return { kind: 'no-reading', deviceId, ...(sensor ? { sensor } : {}), seconds: Number(d.seconds) }
    case 'device-offline':
      return { kind: 'device-offline', deviceId }
    case 'camera-offline':
      return { kind: 'camera-offline', cameraId: Number(d.cameraId) }
    case 'camera-motion': {
      const zones = d.zones
        .split(',')
        .map((z) => z.trim())
        .filter(Boolean)
      return { kind: 'camera-motion', cameraId: Number(d.cameraId), ...(zones.length ? { zones } : {}) }
    }
    case 'buzzer-failed':
      return { kind: 'buzzer-failed', ...(deviceId ? { deviceId } : {}) }
    case 'manual':
      return { kind: 'manual' }
  }
}

/** What the editor sends (`POST /api/rules`, `PUT /api/rules/:id`); call after `validateRule` is empty. */
export function toRuleInput(d: RuleDraft): RuleInput {
  const actions: RuleActions = {}
  if (d.siren) {
    actions.siren = {
      deviceId: d.sirenDeviceId.trim(),
      ...(isNum(d.sirenSeconds) ? { durationMs: Math.round(Number(d.sirenSeconds) * 1000) } : {}),
      ...(d.sirenPattern ? { pattern: d.sirenPattern } : {}),
    }
  }
  if (d.record) {
    actions.record = {
      cameraIds: d.recordCameraIds,
      preRollSeconds: Number(d.preRollSeconds),
      postRollSeconds: Number(d.postRollSeconds),
      keepDays: Number(d.keepDays),
    }
  }
  if (d.fullscreenCameraIds.length > 0) actions.fullscreen = { cameraIds: d.fullscreenCameraIds }
  if (d.escalate) actions.escalate = { afterSeconds: Number(d.escalateSeconds), severity: d.escalateSeverity }
  return {
    name: d.name.trim(),
    enabled: d.enabled,
    severity: d.severity,
    trigger: triggerOf(d),
    ...(d.scheduled
      ? {
          schedule: {
            ...(d.timeZone.trim() ? { timeZone: d.timeZone.trim() } : {}),
            windows: d.windows.map((w) => ({ days: [...w.days].sort(), from: w.from, to: w.to })),
          },
        }
      : {}),
    ...(d.areaId ? { armedAreaId: Number(d.areaId) } : {}),
    ...(Object.keys(actions).length ? { actions } : {}),
  }
}

/** The rule's state in words: "Idle", "Waiting (condition holds)", "Alarm on", or why it is off. */
export function ruleStateText(r: Pick<Rule, 'enabled' | 'disabledReason' | 'state'>): string {
  if (!r.enabled)
    return r.disabledReason ? `Switched off by the station: ${r.disabledReason}` : 'Switched off'
  if (r.state.phase === 'active') return 'Alarm on'
  if (r.state.phase === 'pending') return 'Waiting (the condition holds)'
  return 'Quiet'
}

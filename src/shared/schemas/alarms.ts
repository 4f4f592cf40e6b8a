/**
 * Alarm rules and alarms (issue 12): `/api/rules` (admins), `/api/alarms` and `/api/areas/:id/arming`
 * (guards). A rule is data: a trigger, conditions (armed schedule, area arming) and actions, validated by
 * these schemas when an admin saves it and again when the engine loads it.
 */
import { Type, type Static } from '@sinclair/typebox'
import { EpochMs, Nullable } from './common'
import { DeviceId } from './device-protocol'
import { BuzzerPatternSchema } from './entities'
import { MAX_BUZZER_DURATION_MS } from './buzzers'

export const ALARM_SEVERITIES = ['info', 'warning', 'critical'] as const
export const AlarmSeverity = Type.Union(ALARM_SEVERITIES.map((s) => Type.Literal(s)))
export type AlarmSeverity = Static<typeof AlarmSeverity>

const SensorName = Type.String({ minLength: 1, maxLength: 64 })
const Seconds = Type.Integer({ minimum: 0, maximum: 7 * 86_400 })
const CameraId = Type.Integer({ minimum: 1 })

/**
 * A sensor's value crossing a level. `above`: fires above `level`, clears below `clearLevel` (default
 * `level`; must not be above it). `below`: the mirror. `outside`: fires below `low` or above `high`, clears
 * back inside [`clearLow`, `clearHigh`] (defaults `low`, `high`). The condition must last `holdSeconds`.
 */
export const ThresholdTrigger = Type.Object(
  {
    kind: Type.Literal('threshold'),
    deviceId: DeviceId,
    sensor: SensorName,
    op: Type.Union([Type.Literal('above'), Type.Literal('below'), Type.Literal('outside')]),
    level: Type.Optional(Type.Number()),
    clearLevel: Type.Optional(Type.Number()),
    low: Type.Optional(Type.Number()),
    high: Type.Optional(Type.Number()),
    clearLow: Type.Optional(Type.Number()),
    clearHigh: Type.Optional(Type.Number()),
    holdSeconds: Type.Optional(Seconds),
  },
  { additionalProperties: false },
)
export type ThresholdTrigger = Static<typeof ThresholdTrigger>

/**
 * A sensor's value changing fast: by at least `amount` within `perSeconds` (reading time), upwards (`rise`),
 * downwards (`fall`) or either way. Clears when the change within `perSeconds` is back below half the
 * amount (hysteresis). The condition must last `holdSeconds`.
 */
export const RateTrigger = Type.Object(
  {
    kind: Type.Literal('rate'),
    deviceId: DeviceId,
    sensor: SensorName,
    direction: Type.Union([Type.Literal('rise'), Type.Literal('fall'), Type.Literal('either')]),
    amount: Type.Number({ exclusiveMinimum: 0 }),
    perSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
    holdSeconds: Type.Optional(Seconds),
  },
  { additionalProperties: false },
)
export type RateTrigger = Static<typeof RateTrigger>

/** Nothing heard from a device (or one of its sensors) for `seconds`; clears with the next reading. */
export const NoReadingTrigger = Type.Object(
  {
    kind: Type.Literal('no-reading'),
    deviceId: DeviceId,
    sensor: Type.Optional(SensorName),
    seconds: Type.Integer({ minimum: 1, maximum: 7 * 86_400 }),
  },
  { additionalProperties: false },
)

export const DeviceOfflineTrigger = Type.Object(
  { kind: Type.Literal('device-offline'), deviceId: DeviceId },
  { additionalProperties: false },
)
export const CameraOfflineTrigger = Type.Object(
  { kind: Type.Literal('camera-offline'), cameraId: CameraId },
  { additionalProperties: false },
)
/**
 * Motion on a camera; with `zones`, only motion in one of those zones of the camera's motion settings,
 * each named by its name or its number ("1" is the first zone).
 */
export const CameraMotionTrigger = Type.Object(
  {
    kind: Type.Literal('camera-motion'),
    cameraId: CameraId,
    zones: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 16 }),
    ),
  },
  { additionalProperties: false },
)
/** A buzzer command that failed (`buzzer.failed` station events), of one device or any. */
export const BuzzerFailedTrigger = Type.Object(
  { kind: Type.Literal('buzzer-failed'), deviceId: Type.Optional(DeviceId) },
  { additionalProperties: false },
)
/** Raised by a guard (`POST /api/alarms` with the rule's id): a panic button, an intrusion seen on video. */
export const ManualTrigger = Type.Object({ kind: Type.Literal('manual') }, { additionalProperties: false })

export const RuleTrigger = Type.Union([
  ThresholdTrigger,
  RateTrigger,
  NoReadingTrigger,
  DeviceOfflineTrigger,
  CameraOfflineTrigger,
  CameraMotionTrigger,
  BuzzerFailedTrigger,
  ManualTrigger,
])
export type RuleTrigger = Static<typeof RuleTrigger>
export type RuleTriggerKind = RuleTrigger['kind']

const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' })

/**
 * Armed hours: windows on weekdays (0 Sunday … 6 Saturday) in an IANA time zone, daylight saving included.
 * A window whose `to` is not after `from` runs past midnight into the next day.
 */
export const ArmedSchedule = Type.Object(
  {
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    windows: Type.Array(
      Type.Object(
        {
          days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7 }),
          from: ClockTime,
          to: ClockTime,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 28 },
    ),
  },
  { additionalProperties: false },
)
export type ArmedSchedule = Static<typeof ArmedSchedule>

export const RuleActions = Type.Object(
  {
    /** Sound a buzzer (through the confirmed buzzer lifecycle). */
    siren: Type.Optional(
      Type.Object(
        {
          deviceId: DeviceId,
          durationMs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BUZZER_DURATION_MS })),
          pattern: Type.Optional(BuzzerPatternSchema),
        },
        { additionalProperties: false },
      ),
    ),
    /** Record these cameras from `preRollSeconds` before to `postRollSeconds` after, and protect it. */
    record: Type.Optional(
      Type.Object(
        {
          cameraIds: Type.Array(CameraId, { minItems: 1, maxItems: 32 }),
          preRollSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
          postRollSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
          keepDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Show these cameras fullscreen on the guards' consoles while the alarm is open. */
    fullscreen: Type.Optional(
      Type.Object(
        { cameraIds: Type.Array(CameraId, { minItems: 1, maxItems: 16 }) },
        { additionalProperties: false },
      ),
    ),
    /** Still unacknowledged `afterSeconds` after it opened: the alarm's severity becomes `severity`. */
    escalate: Type.Optional(
      Type.Object(
        { afterSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }), severity: AlarmSeverity },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type RuleActions = Static<typeof RuleActions>

/** `POST /api/rules`, `PUT /api/rules/:id`. */
export const RuleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    enabled: Type.Optional(Type.Boolean()),
    severity: AlarmSeverity,
    trigger: RuleTrigger,
    /** Fires only inside these hours (absent: always). */
    schedule: Type.Optional(ArmedSchedule),
    /** Fires only while this area is armed (absent: regardless of arming). */
    armedAreaId: Type.Optional(Type.Integer({ minimum: 1 })),
    actions: Type.Optional(RuleActions),
  },
  { additionalProperties: false },
)
export type RuleInput = Static<typeof RuleInput>

export const RULE_PHASES = ['idle', 'pending', 'active'] as const
export const RuleState = Type.Object({
  phase: Type.Union(RULE_PHASES.map((p) => Type.Literal(p))),
  /** The condition held since then (reading time), waiting for its hold time. */
  pendingSince: Nullable(EpochMs),
  activeSince: Nullable(EpochMs),
  clearedAt: Nullable(EpochMs),
})
export type RuleState = Static<typeof RuleState>

export const Rule = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  enabled: Type.Boolean(),
  /** Why the engine disabled it (an evaluation error), null otherwise. */
  disabledReason: Nullable(Type.String()),
  severity: AlarmSeverity,
  trigger: RuleTrigger,
  schedule: Nullable(ArmedSchedule),
  armedAreaId: Nullable(Type.Integer()),
  actions: RuleActions,
  state: RuleState,
  createdAt: EpochMs,
  updatedAt: EpochMs,
})
export type Rule = Static<typeof Rule>
export const RuleList = Type.Array(Rule)

export const ALARM_STATES = ['active', 'acknowledged', 'cleared'] as const
export const AlarmState = Type.Union(ALARM_STATES.map((s) => Type.Literal(s)))
export type AlarmState = Static<typeof AlarmState>

/** What an action did for an alarm: the siren's buzzer request, the cameras recorded. */
export const AlarmSiren = Type.Object({
  deviceId: Type.String(),
  /** `requested` until the buzzer lifecycle says more; `not-sounded` when the device was offline/unknown. */
  status: Type.String(),
  requestId: Nullable(Type.String()),
  error: Nullable(Type.String()),
})
export type AlarmSiren = Static<typeof AlarmSiren>
export const AlarmRecording = Type.Object({
  cameraId: Type.Integer(),
  fromMs: EpochMs,
  toMs: EpochMs,
  keepUntil: EpochMs,
  error: Nullable(Type.String()),
})
export type AlarmRecording = Static<typeof AlarmRecording>

/** A camera's picture taken when the alarm opened (`GET /api/alarms/:id/snapshots/:cameraId`). */
export const AlarmSnapshot = Type.Object({ cameraId: Type.Integer(), at: EpochMs })
export type AlarmSnapshot = Static<typeof AlarmSnapshot>

export const AlarmHistoryEntry = Type.Object({
  at: EpochMs,
  /** opened, repeat, condition-ended, acknowledged, assigned, resolved, cleared, escalated, siren, recording, snapshot, note. */
  kind: Type.String(),
  actor: Nullable(Type.String()),
  note: Nullable(Type.String()),
  detail: Type.Unknown(),
})
export type AlarmHistoryEntry = Static<typeof AlarmHistoryEntry>

export const Alarm = Type.Object({
  id: Type.Integer(),
  ruleId: Type.Integer(),
  ruleName: Type.String(),
  severity: AlarmSeverity,
  state: AlarmState,
  sourceKind: Type.String(),
  sourceId: Type.String(),
  message: Type.String(),
  openedAt: EpochMs,
  lastTriggeredAt: EpochMs,
  /** How often the condition recurred while this alarm was open. */
  repeatCount: Type.Integer(),
  /** When the condition ended (null while it holds): an unacknowledged alarm stays until acknowledged. */
  conditionEndedAt: Nullable(EpochMs),
  ackedAt: Nullable(EpochMs),
  ackedBy: Nullable(Type.String()),
  ackNote: Nullable(Type.String()),
  assignedTo: Nullable(Type.String()),
  clearedAt: Nullable(EpochMs),
  clearedBy: Nullable(Type.String()),
  clearReason: Nullable(Type.Union([Type.Literal('condition'), Type.Literal('resolved')])),
  escalatedAt: Nullable(EpochMs),
  siren: Nullable(AlarmSiren),
  recordings: Type.Array(AlarmRecording),
  /** Cameras the consoles show fullscreen for this alarm (the rule's `actions.fullscreen`); [] when none. */
  fullscreenCameraIds: Type.Array(Type.Integer()),
  /** Pictures taken when it opened, one per camera that gave one ([] until they are taken, or none). */
  snapshots: Type.Array(AlarmSnapshot),
})
export type Alarm = Static<typeof Alarm>
export const AlarmDetail = Type.Intersect([Alarm, Type.Object({ history: Type.Array(AlarmHistoryEntry) })])
export type AlarmDetail = Static<typeof AlarmDetail>

export const AlarmQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([AlarmState, Type.Literal('open')])),
    severity: Type.Optional(AlarmSeverity),
    ruleId: Type.Optional(Type.Integer({ minimum: 1 })),
    from: Type.Optional(EpochMs),
    to: Type.Optional(EpochMs),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
)
export type AlarmQuery = Static<typeof AlarmQuery>
export const AlarmList = Type.Array(Alarm)

const Note = Type.String({ maxLength: 2000 })
export const AlarmSnapshotParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  cameraId: Type.Integer({ minimum: 1 }),
})

export const AlarmNoteBody = Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false })
export type AlarmNoteBody = Static<typeof AlarmNoteBody>
/** `POST /api/alarms/:id/note`: a note in the alarm's history. */
export const AlarmAddNoteBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
)
export type AlarmAddNoteBody = Static<typeof AlarmAddNoteBody>
export const AlarmAssignBody = Type.Object(
  { assignee: Nullable(Type.String({ minLength: 1, maxLength: 64 })), note: Type.Optional(Note) },
  { additionalProperties: false },
)
export type AlarmAssignBody = Static<typeof AlarmAssignBody>
/** `POST /api/alarms`: a guard raises a manual rule's alarm. */
export const ManualAlarmBody = Type.Object(
  { ruleId: Type.Integer({ minimum: 1 }), note: Type.Optional(Note) },
  { additionalProperties: false },
)
export type ManualAlarmBody = Static<typeof ManualAlarmBody>

export const AreaArmingBody = Type.Object({ armed: Type.Boolean() }, { additionalProperties: false })
export const AreaArming = Type.Object({
  areaId: Type.Integer(),
  armed: Type.Boolean(),
  changedAt: Nullable(EpochMs),
  changedBy: Nullable(Type.String()),
})
export type AreaArming = Static<typeof AreaArming>

/**
 * The rule engine: one subscriber of the domain event stream that evaluates the enabled rules against
 * committed facts (every reading of a commit in one pass), and one periodic sweep for what time alone
 * completes (hold times, "no reading for N s"). Per-rule state (idle → pending → active → idle) is written
 * on every transition, so it survives a restart. A rule whose evaluation throws is disabled, alone, with a
 * station event that says why.
 */
import type { DomainEventStream } from '../events/domain-stream'
import type { EventService } from '../services'
import type { CommittedReading, DomainEventMap } from '../../shared/events/domain-events'
import { compileRule, type CompiledRule } from './compile-rule'
import { RateWindow } from './rate-window'
import { EventAlarmLinks, type LinkKey } from './event-links'
import { RuleIndex, type RuleEntry } from './rule-index'
import { IDLE, type PersistedState, type RulesRepository } from './rules-repository'
import { isArmedAt } from './schedule'

export interface RuleSource {
  kind: string
  id: string
}

export interface EngineDeps {
  rules: RulesRepository
  stream: DomainEventStream
  events: EventService
  /** Opens the rule's alarm (or counts a repeat on the open one); answers it. */
  raise(rule: CompiledRule, source: RuleSource, message: string, at: number): { id: number } | void
  /** A station event the alarm was raised from links to it (events.alarm_id). */
  linkEvent?(eventId: number, alarmId: number): void
  /** The rule's condition ended. */
  conditionEnded(ruleId: number, at: number): void
  isAreaArmed(areaId: number): boolean
  timeZone: string
  log: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void }
  /** Sweep period (default 1 s). */
  sweepMs?: number
  /** Also run by each sweep (alarm escalation). */
  onSweep?: (now: number) => void
  now?: () => number
}

export class RuleEngine {
  private index = new RuleIndex([])
  private readonly pending = new Set<RuleEntry>()
  /** Rules disabled by an error since the last reload. */
  private readonly broken = new Set<number>()
  private offs: (() => void)[] = []
  private timer: NodeJS.Timeout | undefined
  private readonly now: () => number
  private readonly links: EventAlarmLinks
  evaluated = 0

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.now ?? Date.now
    this.links = new EventAlarmLinks((eventId, alarmId) => this.link(eventId, alarmId), this.now)
  }

  start(): void {
    this.reload()
    const s = this.deps.stream
    this.offs = [
      s.on('reading.committed', 'alarms:readings', (e) => this.onReadings(e.readings)),
      s.on('device.presence', 'alarms:presence', (e) => {
        if (e.change === 'offline')
          this.condition(this.index.forPresence(e.deviceId), true, deviceSrc(e.deviceId))
        else if (e.change === 'online') this.condition(this.index.forPresence(e.deviceId), false)
      }),
      s.on('camera.health', 'alarms:cameras', (e) =>
        this.condition(this.index.forCameraHealth(e.cameraId), !e.online, cameraSrc(e.cameraId)),
      ),
      s.on('camera.motion', 'alarms:motion', (e) =>
        this.condition(this.index.forCameraMotion(e.cameraId), e.state === 'start', cameraSrc(e.cameraId)),
      ),
      s.on('camera.zone-motion', 'alarms:zone-motion', (e) => this.onZoneMotion(e)),
      s.on('event.recorded', 'alarms:events', (e) => {
        for (const ev of e.events) {
          if (ev.type === 'buzzer.failed') this.onBuzzerFailed(ev.sourceId, ev.message, ev.id)
          else if (ev.type === 'device.offline') {
            const wanted = (this.index.forPresence(ev.sourceId)?.length ?? 0) > 0
            this.links.recorded(`device.offline:${ev.sourceId}`, ev.id, ev.ts, wanted)
          } else if (ev.type === 'camera.offline') {
            const wanted = (this.index.forCameraHealth(Number(ev.sourceId))?.length ?? 0) > 0
            this.links.recorded(`camera.offline:${ev.sourceId}`, ev.id, ev.ts, wanted)
          }
        }
      }),
    ]
    this.timer = setInterval(() => this.sweep(), this.deps.sweepMs ?? 1000)
    this.timer.unref()
  }

  stop(): void {
    for (const off of this.offs) off()
    this.offs = []
    if (this.timer) clearInterval(this.timer)
  }

  /** Re-reads the rules (after an admin's change): enabled ones are compiled and indexed with their state. */
  reload(): void {
    const now = this.now()
    const entries: RuleEntry[] = []
    const old = this.index.byId
    for (const s of this.deps.rules.list()) {
      if (!s.enabled) continue
      let rule: CompiledRule
      try {
        rule = compileRule(s)
      } catch (err) {
        this.disableStored(s.id, s.name, err)
        continue
      }
      // A rule kept across a reload keeps when its device was last heard from, and (same trigger) its window.
      const before = old.get(s.id)
      const entry: RuleEntry = { rule, state: s.state, lastHeard: before?.lastHeard ?? now }
      if (before?.zonesMoving) entry.zonesMoving = before.zonesMoving
      if (rule.trigger.kind === 'rate') {
        const same = before && JSON.stringify(before.rule.trigger) === JSON.stringify(rule.trigger)
        entry.window = same && before.window ? before.window : new RateWindow(rule.trigger)
      }
      entries.push(entry)
    }
    this.index = new RuleIndex(entries)
    this.broken.clear()
    this.pending.clear()
    for (const e of entries) if (e.state.phase === 'pending') this.pending.add(e)
  }

  entry(ruleId: number): RuleEntry | undefined {
    return this.index.byId.get(ruleId)
  }

  /** A guard raised a manual rule's alarm. */
  raiseManual(rule: CompiledRule, by: string, note: string | undefined): void {
    this.deps.raise(rule, { kind: 'user', id: by }, note ? `${rule.name}: ${note}` : rule.name, this.now())
  }

  /** Periodic: hold times that elapsed, silent devices. Also called by tests. */
  sweep(now = this.now()): void {
    try {
      this.deps.onSweep?.(now)
    } catch (err) {
      this.deps.log.error({ err }, 'alarm sweep failed')
    }
    for (const e of this.pending) {
      this.guard(e, () => {
        if (e.state.pendingAt !== null && now - e.state.pendingAt >= e.rule.holdMs) this.tryFire(e, now)
      })
    }
    for (const e of this.index.silent) {
      this.guard(e, () => {
        if (e.state.phase !== 'idle' || e.rule.trigger.kind !== 'no-reading') return
        if (now - e.lastHeard >= e.rule.trigger.seconds * 1000) {
          const t = e.rule.trigger
          this.setState(e, { ...e.state, phase: 'pending', pendingSince: now, pendingAt: now })
          this.tryFire(
            e,
            now,
            deviceSrc(t.deviceId),
            `No reading from ${t.deviceId}${t.sensor ? ` ${t.sensor}` : ''} for ${t.seconds} s`,
          )
        }
      })
    }
  }

  private onReadings(readings: readonly CommittedReading[]): void {
    const now = this.now()
    for (const r of readings) {
      const rules = this.index.forSensor(r.deviceId, r.sensor)
      if (rules) for (const e of rules) this.guard(e, () => this.onReading(e, r, now))
      const silent = this.index.forDevice(r.deviceId)
      if (silent) for (const e of silent) this.guard(e, () => this.heard(e, now))
    }
  }

  private onReading(e: RuleEntry, r: CommittedReading, now: number): void {
    this.evaluated++
    if (e.rule.trigger.kind === 'no-reading') return this.heard(e, now)
    const levels = e.rule.levels!
    // Threshold rules judge the value; rate rules the change within their window.
    const v = e.window ? e.window.add(r.ts, r.value) : r.value
    if (e.state.phase === 'active') {
      if (levels.clear(v)) this.clear(e, now)
      return
    }
    if (!levels.trip(v)) {
      if (e.state.phase === 'pending') this.toIdle(e)
      return
    }
    if (e.state.phase === 'idle') {
      this.setState(e, { ...e.state, phase: 'pending', pendingSince: r.ts, pendingAt: now })
    }
    if (r.ts - (e.state.pendingSince ?? r.ts) >= e.rule.holdMs) {
      this.tryFire(e, now, deviceSrc(r.deviceId), readingMessage(e.rule, r, v))
    }
  }

  private heard(e: RuleEntry, now: number): void {
    e.lastHeard = now
    if (e.state.phase === 'active') this.clear(e, now)
    else if (e.state.phase === 'pending') this.toIdle(e)
  }

  /** A condition that is on or off (offline, motion): no hold time. */
  private condition(
    entries: readonly RuleEntry[] | undefined,
    on: boolean,
    src?: RuleSource,
    message?: string,
  ): void {
    if (!entries) return
    const now = this.now()
    for (const e of entries) {
      this.guard(e, () => {
        this.evaluated++
        if (!on) {
          if (e.state.phase === 'active') this.clear(e, now)
          else if (e.state.phase === 'pending') this.toIdle(e)
          return
        }
        if (e.state.phase !== 'idle') return
        this.setState(e, { ...e.state, phase: 'pending', pendingSince: now, pendingAt: now })
        this.tryFire(e, now, src, message)
      })
    }
  }

  /** Zone rules: on while any of their zones moves, off once none does. */
  private onZoneMotion(e: DomainEventMap['camera.zone-motion']): void {
    const entries = this.index.forZoneMotion(e.cameraId)
    if (!entries) return
    const number = String(e.zone + 1)
    for (const entry of entries) {
      const t = entry.rule.trigger
      if (t.kind !== 'camera-motion' || !t.zones?.some((z) => z === e.name || z === number)) continue
      const moving = (entry.zonesMoving ??= new Set())
      if (e.state === 'start') moving.add(e.zone)
      else moving.delete(e.zone)
      const zone = e.name ?? `zone ${number}`
      const message = `${entry.rule.name}: motion in ${zone} on camera ${e.cameraId}`
      this.condition([entry], moving.size > 0, cameraSrc(e.cameraId), message)
    }
  }

  private onBuzzerFailed(deviceId: string, message: string, eventId: number): void {
    const now = this.now()
    for (const e of this.index.buzzerFailed) {
      this.guard(e, () => {
        const t = e.rule.trigger
        if (t.kind !== 'buzzer-failed' || (t.deviceId !== undefined && t.deviceId !== deviceId)) return
        // A moment, not a state: fire and end at once (the alarm stays until a guard acknowledges it).
        if (!this.armed(e.rule, now)) return
        const alarm = this.deps.raise(
          e.rule,
          { kind: 'buzzer', id: deviceId },
          `${e.rule.name}: ${message}`,
          now,
        )
        if (alarm) this.link(eventId, alarm.id)
        this.deps.conditionEnded(e.rule.id, now)
      })
    }
  }

  private tryFire(e: RuleEntry, now: number, src?: RuleSource, message?: string): void {
    if (!this.armed(e.rule, now)) return // stays pending: the sweep fires it once armed, if it still holds
    this.pending.delete(e)
    const since = e.state.pendingSince ?? now
    this.setState(e, { ...e.state, phase: 'active', activeSince: now, pendingAt: null })
    const alarm = this.deps.raise(e.rule, src ?? sourceOf(e.rule), message ?? defaultMessage(e.rule), now)
    const key = linkKeyOf(e.rule)
    if (alarm && key) this.links.raised(key, alarm.id, since)
  }

  /** Links a station event to an alarm; a failure is logged, never breaks the evaluation. */
  private link(eventId: number, alarmId: number): void {
    try {
      this.deps.linkEvent?.(eventId, alarmId)
    } catch (err) {
      this.deps.log.error({ err, eventId, alarmId }, 'could not link an event to its alarm')
    }
  }

  private clear(e: RuleEntry, now: number): void {
    this.setState(e, { ...IDLE, clearedAt: now })
    this.deps.conditionEnded(e.rule.id, now)
  }

  private toIdle(e: RuleEntry): void {
    this.setState(e, { ...e.state, phase: 'idle', pendingSince: null, pendingAt: null })
  }

  private armed(rule: CompiledRule, now: number): boolean {
    if (rule.armedAreaId !== null && !this.deps.isAreaArmed(rule.armedAreaId)) return false
    if (rule.schedule && !isArmedAt(rule.schedule, now, this.deps.timeZone)) return false
    return true
  }

  private setState(e: RuleEntry, s: PersistedState): void {
    e.state = s
    if (s.phase === 'pending') this.pending.add(e)
    else this.pending.delete(e)
    this.deps.rules.setState(e.rule.id, s)
  }

  /** Runs one rule's evaluation; an error disables that rule only. */
  private guard(e: RuleEntry, fn: () => void): void {
    if (this.broken.has(e.rule.id)) return
    try {
      fn()
    } catch (err) {
      this.broken.add(e.rule.id)
      this.disableStored(e.rule.id, e.rule.name, err)
      // Out of the loop that is evaluating: the index is rebuilt without it.
      queueMicrotask(() => this.reload())
    }
  }

  private disableStored(id: number, name: string, err: unknown): void {
    const reason = err instanceof Error ? err.message : String(err)
    this.deps.log.warn({ ruleId: id, reason }, 'alarm rule disabled')
    try {
      this.deps.rules.disable(id, reason)
    } catch (e) {
      this.deps.log.error({ err: e, ruleId: id }, 'could not disable an alarm rule')
    }
    this.deps.events
      .record({
        type: 'alarm.rule-disabled',
        severity: 'warning',
        sourceKind: 'station',
        sourceId: `rule:${id}`,
        message: `Alarm rule "${name}" was disabled: ${reason}`.slice(0, 1000),
      })
      .catch((e: unknown) => this.deps.log.error({ err: e, ruleId: id }, 'could not record a rule event'))
  }
}

const deviceSrc = (id: string): RuleSource => ({ kind: 'device', id })
const cameraSrc = (id: number): RuleSource => ({ kind: 'camera', id: String(id) })

/** The station event an alarm of this rule comes with, when there is one. */
function linkKeyOf(rule: CompiledRule): LinkKey | undefined {
  const t = rule.trigger
  if (t.kind === 'device-offline') return `device.offline:${t.deviceId}`
  if (t.kind === 'camera-offline') return `camera.offline:${t.cameraId}`
  return undefined
}

function sourceOf(rule: CompiledRule): RuleSource {
  const t = rule.trigger
  if ('deviceId' in t && t.deviceId !== undefined) return deviceSrc(t.deviceId)
  if ('cameraId' in t) return cameraSrc(t.cameraId)
  return { kind: 'rule', id: String(rule.id) }
}

function readingMessage(rule: CompiledRule, r: CommittedReading, v: number): string {
  const unit = r.unit ? ` ${r.unit}` : ''
  const t = rule.trigger
  if (t.kind !== 'rate') return `${rule.name}: ${r.sensor} ${v}${unit}`
  const way = t.direction === 'rise' ? 'rose' : t.direction === 'fall' ? 'fell' : 'changed'
  const by = Math.round(v * 1000) / 1000
  return `${rule.name}: ${r.sensor} ${way} by ${by}${unit} within ${t.perSeconds} s (now ${r.value}${unit})`
}

function defaultMessage(rule: CompiledRule): string {
  const t = rule.trigger
  switch (t.kind) {
    case 'device-offline':
      return `${rule.name}: device ${t.deviceId} is offline`
    case 'camera-offline':
      return `${rule.name}: camera ${t.cameraId} is offline`
    case 'camera-motion':
      return `${rule.name}: motion on camera ${t.cameraId}`
    default:
      return rule.name
  }
}

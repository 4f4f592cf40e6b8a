/**
 * Buzzer commands: `queued → sent → acknowledged`, or `failed` (the device answered ok:false) or
 * `expired` (no confirmation within the timeout). Every status change is committed through the 'buzzers'
 * group-commit queue (its transactions run on the writer thread: 'buzzers.save') before anyone is told;
 * once committed it is cached, published on the domain event stream (`buzzer.status`) and, for failures
 * and expiries, recorded as an event.
 *
 * Open requests (queued or sent) are kept in memory by device, so a heartbeat or a pending poll with
 * nothing waiting costs no query, and the expiry sweep walks only what is open.
 */
import { randomUUID } from 'node:crypto'
import type { QueueConfig } from '../config'
import type { DomainCache } from '../cache/domain-cache'
import { GroupCommitQueue } from '../queues/group-commit-queue'
import type { BuzzerService, DeviceService, EventService } from '../services'
import type { DomainEventStream } from '../events/domain-stream'
import type { BuzzerRequest } from '../../shared/schemas/entities'
import type { BuzzerCommand } from '../../shared/schemas/device-protocol'
import { errors } from '../server/errors'
import type { BuzzerRepository } from './buzzer-repository'
import type { Writer } from '../database/writer'

/** A device may have at most this many commands waiting; more is refused (409). */
export const MAX_OPEN_PER_DEVICE = 50

export interface NewBuzzerRequest {
  deviceId: string
  action: BuzzerRequest['action']
  durationMs?: number | undefined
  pattern?: BuzzerRequest['pattern'] | undefined
  requestedBy: string | null
}

interface Log {
  warn: (obj: object, msg: string) => void
  error: (obj: object, msg: string) => void
}

export interface BuzzerDeps {
  repo: BuzzerRepository
  writer: Writer
  /** Committed statuses are published here (caches, live channel, rules subscribe). */
  domainEvents: DomainEventStream
  events: EventService
  /** Recent committed statuses ('buzzer-statuses'). */
  cache: DomainCache<string, BuzzerRequest>
  /** Sends commands to connected devices; its presence facts (on the stream) trigger pushes. */
  devices: Pick<DeviceService, 'send' | 'isConnected' | 'isOnline' | 'known' | 'capabilities'>
  queueConfig: QueueConfig
  timeoutMs: number
  log: Log
  now?: () => number
}

const isOpen = (r: BuzzerRequest) => r.status === 'queued' || r.status === 'sent'

/** The command a device receives, pushed over its WebSocket or returned by a poll. */
export function toCommand(r: BuzzerRequest): BuzzerCommand {
  return {
    op: 'buzzer',
    requestId: r.id,
    action: r.action,
    ...(r.durationMs !== null ? { durationMs: r.durationMs } : {}),
    ...(r.pattern !== null ? { pattern: r.pattern } : {}),
  }
}

export class StationBuzzerService implements BuzzerService {
  readonly queue: GroupCommitQueue<BuzzerRequest>
  /** Latest decided state of every open request, and their ids by device (oldest first). */
  private readonly open = new Map<string, BuzzerRequest>()
  private readonly openByDevice = new Map<string, Set<string>>()
  /** States enqueued but not yet committed: the newest truth for transitions. */
  private readonly inflight = new Map<string, BuzzerRequest>()
  private sweeper: NodeJS.Timeout | undefined
  private offConnected: (() => void) | undefined

  constructor(private readonly deps: BuzzerDeps) {
    this.queue = new GroupCommitQueue<BuzzerRequest>('buzzers', deps.queueConfig, (s) => this.commit(s), {
      onError: (err) => deps.log.error({ err }, 'buzzer write failed'),
    })
    for (const r of deps.repo.listOpen()) this.track(r)
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now()
  }

  /**
   * Starts the expiry sweep (every second, unref'd) and pushes waiting commands whenever a device opens
   * a WebSocket (a `device.presence` fact with change `connected`).
   */
  start(intervalMs = 1000): void {
    // Commands that ran out while the station was down end now, before any device can reconnect.
    this.sweep()
    this.sweeper ??= setInterval(() => this.sweep(), intervalMs)
    this.sweeper.unref()
    this.offConnected ??= this.deps.domainEvents.on('device.presence', 'buzzers:push-on-connect', (e) => {
      if (e.change === 'connected') this.onDeviceConnected(e.deviceId)
    })
  }

  stop(): void {
    clearInterval(this.sweeper)
    this.sweeper = undefined
    this.offConnected?.()
    this.offConnected = undefined
  }

  get openCount(): number {
    return this.open.size
  }

  private async commit(states: BuzzerRequest[]): Promise<void> {
    await this.deps.writer.run('buzzers.save', states)
    try {
      for (const s of states) {
        this.deps.cache.set(s.id, s)
        if (this.inflight.get(s.id) === s) this.inflight.delete(s.id)
      }
    } catch (err) {
      this.deps.log.error({ err }, 'buzzer status cache update after commit failed')
    }
    for (const s of states) this.deps.domainEvents.publish({ type: 'buzzer.status', request: s })
  }

  private track(s: BuzzerRequest): void {
    if (isOpen(s)) {
      this.open.set(s.id, s)
      let ids = this.openByDevice.get(s.deviceId)
      if (!ids) this.openByDevice.set(s.deviceId, (ids = new Set()))
      ids.add(s.id)
    } else {
      this.untrack(s)
    }
  }

  private untrack(s: BuzzerRequest): void {
    this.open.delete(s.id)
    const ids = this.openByDevice.get(s.deviceId)
    ids?.delete(s.id)
    if (ids?.size === 0) this.openByDevice.delete(s.deviceId)
  }

  /** Decides a new state now (so later decisions see it) and resolves once it is committed. */
  private async decide(prev: BuzzerRequest | undefined, next: BuzzerRequest): Promise<BuzzerRequest> {
    this.track(next)
    this.inflight.set(next.id, next)
    try {
      await this.queue.enqueue([next])
      return next
    } catch (err) {
      // Not committed: undo the decision unless a later one replaced it.
      if (this.inflight.get(next.id) === next) {
        this.inflight.delete(next.id)
        if (prev) this.track(prev)
        else this.untrack(next)
      }
      throw err
    }
  }

  private transition(prev: BuzzerRequest, patch: Partial<BuzzerRequest>): Promise<BuzzerRequest> {
    return this.decide(prev, { ...prev, ...patch, updatedAt: this.now() })
  }

  /** The newest state, committed or about to be. */
  private current(id: string): BuzzerRequest | undefined {
    return this.inflight.get(id) ?? this.open.get(id) ?? this.get(id)
  }

  /** The committed state of a request (cached). */
  get(id: string): BuzzerRequest | undefined {
    return this.deps.cache.getOrLoad(id, () => this.deps.repo.get(id))
  }

  listForDevice(deviceId: string, limit: number): BuzzerRequest[] {
    return this.deps.repo.listForDevice(deviceId, limit)
  }

  /**
   * Queues a command (committed before this resolves), then pushes it at once when the device holds a
   * WebSocket (and commits `sent`). Unknown device: 404. A device that reported capabilities without
   * `buzzer`: 409 NO_BUZZER. A device that is offline (neither connected nor heard from recently) is
   * refused with 409 DEVICE_OFFLINE: the command could only expire.
   */
  async create(input: NewBuzzerRequest): Promise<BuzzerRequest> {
    const { deviceId } = input
    // A device the station is talking to is known, even while its row is still being written.
    if (!(await this.deps.devices.known(deviceId))) throw errors.notFound(`Device ${deviceId}`)
    const { devices } = this.deps
    // A device that said what it can do, without a buzzer; one that never said (older firmware) is tried.
    if (devices.capabilities(deviceId)?.includes('buzzer') === false) throw errors.noBuzzer(deviceId)
    if (!devices.isConnected(deviceId) && !devices.isOnline(deviceId)) {
      throw errors.deviceOffline(deviceId)
    }
    if ((this.openByDevice.get(deviceId)?.size ?? 0) >= MAX_OPEN_PER_DEVICE) {
      throw errors.conflict(`Device ${deviceId} already has ${MAX_OPEN_PER_DEVICE} buzzer commands waiting`)
    }
    const now = this.now()
    const queued: BuzzerRequest = {
      id: randomUUID(),
      deviceId,
      action: input.action,
      durationMs: input.durationMs ?? null,
      pattern: input.pattern ?? null,
      status: 'queued',
      requestedBy: input.requestedBy,
      error: null,
      createdAt: now,
      sentAt: null,
      acknowledgedAt: null,
      expiresAt: now + this.deps.timeoutMs,
      updatedAt: now,
    }
    await this.decide(undefined, queued)
    // A poll or an ack may have moved it on while the insert committed: push only what still waits.
    const latest = this.current(queued.id) ?? queued
    return latest.status === 'queued' ? ((await this.push(latest)) ?? latest) : latest
  }

  /**
   * Sends an open command over the device's WebSocket; commits `sent` when it was queued. One past its
   * deadline is never sent: it expires instead.
   */
  private push(s: BuzzerRequest): Promise<BuzzerRequest | undefined> | undefined {
    if (s.expiresAt <= this.now()) return this.expire(s)
    if (!this.deps.devices.send(s.deviceId, toCommand(s))) return undefined
    return s.status === 'queued' ? this.transition(s, { status: 'sent', sentAt: this.now() }) : undefined
  }

  async takePending(deviceId: string): Promise<BuzzerRequest[]> {
    const ids = this.openByDevice.get(deviceId)
    if (!ids || ids.size === 0) return []
    const now = this.now()
    const waiting: Promise<BuzzerRequest>[] = []
    for (const id of ids) {
      const s = this.open.get(id)
      if (!s || s.expiresAt <= now) continue
      waiting.push(
        s.status === 'queued' ? this.transition(s, { status: 'sent', sentAt: now }) : Promise.resolve(s),
      )
    }
    return Promise.all(waiting)
  }

  async acknowledge(
    requestId: string,
    deviceId: string,
    ok: boolean,
    error?: string,
  ): Promise<BuzzerRequest> {
    const cur = this.current(requestId)
    if (!cur) throw errors.notFound(`Buzzer request ${requestId}`)
    if (cur.deviceId !== deviceId) throw errors.forbidden('This buzzer request is for another device')
    // Too late: it has expired (whether or not the sweep got to it yet), and the guard was told so.
    if (isOpen(cur) && cur.expiresAt <= this.now()) {
      await this.expire(cur)
      throw errors.conflict(`Buzzer request ${requestId} is already expired`)
    }
    if (!isOpen(cur)) {
      const same = (ok && cur.status === 'acknowledged') || (!ok && cur.status === 'failed')
      if (same) return cur
      throw errors.conflict(`Buzzer request ${requestId} is already ${cur.status}`)
    }
    const now = this.now()
    const next = await this.transition(
      cur,
      ok
        ? { status: 'acknowledged', acknowledgedAt: now, error: null }
        : { status: 'failed', acknowledgedAt: now, error: error || 'The device reported a failure' },
    )
    if (!ok) {
      this.recordEvent(next, 'buzzer.failed', `Buzzer ${deviceId} failed to ${describe(next)}: ${next.error}`)
    }
    return next
  }

  onDeviceConnected(deviceId: string): void {
    const ids = this.openByDevice.get(deviceId)
    if (!ids) return
    for (const id of [...ids]) {
      const s = this.open.get(id)
      if (!s) continue
      this.push(s)?.catch((err: unknown) =>
        this.deps.log.warn({ err, requestId: id }, 'could not mark pushed buzzer command sent'),
      )
    }
  }

  /** Expires every open request past its deadline. */
  sweep(now = this.now()): void {
    for (const s of [...this.open.values()]) {
      if (s.expiresAt <= now) void this.expire(s)
    }
  }

  /** Commits `expired` and records buzzer.expired; resolves undefined when it could not be committed. */
  private expire(s: BuzzerRequest): Promise<BuzzerRequest | undefined> {
    const seconds = Math.round(this.deps.timeoutMs / 1000)
    return (
      this.transition(s, { status: 'expired', error: `No confirmation from the device within ${seconds}s` })
        .then((next) => {
          this.recordEvent(
            next,
            'buzzer.expired',
            `Buzzer ${next.deviceId} did not confirm the command to ${describe(next)} within ${seconds}s`,
          )
          return next
        })
        // Not committed (e.g. the queue is full): it stays open and the next sweep tries again.
        .catch((err: unknown) => {
          this.deps.log.warn({ err, requestId: s.id }, 'could not expire buzzer request')
          return undefined
        })
    )
  }

  private recordEvent(r: BuzzerRequest, type: 'buzzer.failed' | 'buzzer.expired', message: string): void {
    this.deps.events
      .record({ type, severity: 'warning', sourceKind: 'buzzer', sourceId: r.deviceId, message })
      .catch((err: unknown) => this.deps.log.warn({ err, requestId: r.id }, `could not record ${type}`))
  }
}

/** What the guard reads: the command, never its request id (that stays in the log and the request list). */
const describe = (r: BuzzerRequest) => `turn ${r.action}${r.pattern ? ` (${r.pattern})` : ''}`

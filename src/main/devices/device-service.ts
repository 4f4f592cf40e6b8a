/**
 * The station's device service (`app.devices`): ingestion through the readings group-commit queue,
 * online state, device WebSockets, and the admin operations on devices.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { WebSocket } from 'ws'
import type { DeviceService } from '../services'
import type { Device, DeviceDetail, SensorLatest } from '../../shared/schemas/entities'
import type { StationToDevice } from '../../shared/schemas/device-protocol'
import { GroupCommitQueue } from '../queues/group-commit-queue'
import type { DomainCache, DomainCacheRegistry } from '../cache/domain-cache'
import type { StationConfig } from '../config'
import type { Db } from '../database/open'
import type { DomainEventStream } from '../events/domain-stream'
import type { QueueRegistry } from '../services'
import { hashToken, newToken } from '../auth/tokens'
import { DevicesRepository, type DeviceRow } from './devices-repository'
import type { FlushSummary } from './readings-writer'
import { encodeReadings, type IngestReading } from './readings-batch'
import type { Writer } from '../database/writer'
import { DeviceWrites } from './device-writes'
import { DevicePresence, type PresenceChange, type PresenceState } from './device-presence'
import { CLOSE, DeviceConnections, type DeviceConnection } from '../ws/device-connections'
import { implausibleTime, type ReadingTimeWindow } from './reading-time'

/** Readings deleted per step when a device is deleted, so the event loop keeps serving meanwhile. */
const PURGE_CHUNK = 10_000
const MAX_SOCKET_BUFFER = 1024 * 1024

export interface DeviceHubDeps {
  config: Pick<StationConfig, 'queues' | 'ws' | 'deviceOfflineAfterMs' | 'readingTimeWindow'>
  db: Db
  writer: Writer
  queues: QueueRegistry
  domainCaches: DomainCacheRegistry
  /** Committed readings, device changes and presence are published here. */
  domainEvents: DomainEventStream
  log: FastifyBaseLogger
}

export class DeviceHub implements DeviceService {
  readonly repo: DevicesRepository
  readonly readings: GroupCommitQueue<IngestReading>
  readonly writes: DeviceWrites
  readonly presence: DevicePresence
  readonly connections: DeviceConnections
  private readonly deviceCache: DomainCache<string, DeviceRow>
  private readonly latestCache: DomainCache<string, SensorLatest[]>
  private sweeper: NodeJS.Timeout | undefined
  private readonly log: FastifyBaseLogger
  private readonly writer: Writer
  private readonly stream: DomainEventStream
  private readonly offlineAfterMs: number
  private readonly timeWindow: ReadingTimeWindow
  /** Capabilities devices reported since the start (the database has what they reported before). */
  private readonly reported = new Map<string, readonly string[]>()

  constructor(deps: DeviceHubDeps) {
    const { config, db } = deps
    this.log = deps.log.child({ component: 'devices' })
    this.repo = new DevicesRepository(db)
    this.writer = deps.writer
    this.stream = deps.domainEvents
    this.offlineAfterMs = config.deviceOfflineAfterMs
    this.timeWindow = config.readingTimeWindow
    this.deviceCache = deps.domainCaches.create('devices', 10_000, 5 * 60_000)
    this.latestCache = deps.domainCaches.create('latest-readings', 10_000, 120_000)
    this.readings = deps.queues.add(
      new GroupCommitQueue('readings', config.queues.readings, (items) => this.writeReadings(items), {
        onError: (err) => this.log.error({ err }, 'readings flush failed'),
      }),
    )
    this.writes = new DeviceWrites(this.writer, config.queues.devices, {
      afterCommit: ({ newDevices, capabilityChanges, deviceIds }) => {
        if (newDevices > 0) this.deviceCache.clear()
        else if (capabilityChanges > 0) for (const id of deviceIds) this.deviceCache.delete(id)
        this.stream.publish({
          type: 'device.changed',
          deviceIds,
          change: newDevices > 0 ? 'created' : 'updated',
        })
      },
      onError: (err) => this.log.error({ err }, 'device write flush failed'),
    })
    deps.queues.add(this.writes.queue)
    this.presence = new DevicePresence(config.deviceOfflineAfterMs, {
      onChange: (id, s, change) => this.onPresence(id, s, change),
      persistSeen: (id, at, ip) => this.writes.touch(id, at, ip),
    })
    this.connections = new DeviceConnections({
      maxConnections: config.ws.maxConnections,
      pingIntervalMs: config.ws.pingIntervalMs,
      maxBufferedBytes: MAX_SOCKET_BUFFER,
    })
  }

  start(): void {
    this.presence.restore(this.repo.online())
    const every = Math.min(5_000, Math.max(50, Math.floor(this.offlineAfterMs / 2)))
    this.sweeper = setInterval(() => this.presence.sweep(), every)
    this.sweeper.unref()
    this.connections.startPing()
  }

  stop(): void {
    clearInterval(this.sweeper)
    this.connections.closeAll()
  }

  // --- ingestion -------------------------------------------------------------------------------------

  /**
   * Resolves once the readings are committed (and their devices registered in the same transaction). A
   * batch with an implausible device time is refused whole (reading-time.ts), from HTTP and sockets alike.
   */
  ingest(readings: IngestReading[]): Promise<void> {
    const refused = implausibleTime(readings, Date.now(), this.timeWindow)
    if (refused) return Promise.reject(refused)
    return this.readings.enqueue(readings)
  }

  /** The readings queue's commit: one transaction on the writer thread, then caches and live updates. */
  private async writeReadings(items: IngestReading[]): Promise<void> {
    const { batch, transfer } = encodeReadings(items)
    const summary = await this.writer.run('readings.write', batch, transfer)
    this.afterReadings(items, summary)
  }

  /** Committed: whatever follows must not throw, or the queue would think the flush failed. */
  private afterReadings(items: readonly IngestReading[], r: FlushSummary): void {
    try {
      for (const id of r.newDevices) this.deviceCache.delete(id)
      // Cached latest values are replaced; a device not cached loads from the sensors table when asked.
      for (const s of r.latest) {
        const list = this.latestCache.peek(s.deviceId)
        if (list) {
          this.latestCache.set(
            s.deviceId,
            withLatest(list, { sensor: s.sensor, value: s.value, unit: s.unit, ts: s.ts }),
          )
        }
      }
    } catch (err) {
      this.log.error({ err }, 'after-commit work for readings failed')
    }
    // One event per commit with every reading (the stream isolates its subscribers' errors).
    this.stream.publish({
      type: 'reading.committed',
      readings: items,
      latest: r.latest,
      newDevices: r.newDevices,
    })
  }

  // --- DeviceService ---------------------------------------------------------------------------------

  send(deviceId: string, msg: StationToDevice): boolean {
    return this.connections.send(deviceId, msg)
  }

  isConnected(deviceId: string): boolean {
    return this.connections.get(deviceId) !== undefined
  }

  isOnline(deviceId: string): boolean {
    return this.presence.isOnline(deviceId)
  }

  /**
   * A device the station is talking to (connected, or heard from) is known even before its row, written
   * through the device queue, has committed: wait for that commit rather than answer "unknown".
   */
  async known(deviceId: string): Promise<boolean> {
    if (this.get(deviceId)) return true
    if (!this.presence.isConnected(deviceId) && !this.presence.isOnline(deviceId)) return false
    const written = await this.writes.written(deviceId)
    this.deviceCache.delete(deviceId)
    if (written && this.get(deviceId)) return true
    // Its write was dropped (device queue full) or failed: ask for the row once more.
    this.writes.touch(deviceId, this.presence.lastSeen(deviceId) ?? Date.now(), null)
    await this.writes.written(deviceId)
    this.deviceCache.delete(deviceId)
    return this.get(deviceId) !== undefined
  }

  get(deviceId: string): Device | undefined {
    const row = this.deviceCache.getOrLoad(deviceId, () => this.repo.get(deviceId))
    return row && this.toDevice(row)
  }

  touch(deviceId: string, ip: string | undefined): void {
    this.presence.heard(deviceId, ip ?? null)
  }

  /** A heartbeat said what the device can do: written (and published) when it changed. */
  reportCapabilities(deviceId: string, capabilities: readonly string[]): void {
    const known = this.capabilities(deviceId)
    const same =
      known !== null && known.length === capabilities.length && capabilities.every((c) => known.includes(c))
    if (same) return
    const sorted = [...capabilities].sort()
    this.reported.set(deviceId, sorted)
    this.writes.setCapabilities(deviceId, sorted)
  }

  /** What the device said it can do; null when it never said (older firmware). */
  capabilities(deviceId: string): readonly string[] | null {
    const reported = this.reported.get(deviceId)
    if (reported) return reported
    const row = this.deviceCache.getOrLoad(deviceId, () => this.repo.get(deviceId))
    return row ? parseCapabilities(row.capabilities) : null
  }

  stats() {
    const p = this.presence.stats()
    return { known: this.repo.count(), online: p.online, connected: this.connections.size }
  }

  // --- reads and admin operations --------------------------------------------------------------------

  list(): Device[] {
    return this.repo.list().map((row) => this.toDevice(row))
  }

  detail(deviceId: string): DeviceDetail | undefined {
    const device = this.get(deviceId)
    if (!device) return undefined
    const sensors = this.latestCache.getOrLoad(deviceId, () => this.repo.latest(deviceId)) ?? []
    return { ...device, sensors }
  }

  /** Renames or moves a device; throws the SQLite constraint error for an unknown area. */
  update(deviceId: string, patch: { name?: string; areaId?: number | null }): Device | undefined {
    const row = this.repo.get(deviceId)
    if (!row) return undefined
    this.repo.update(
      deviceId,
      patch.name ?? row.name,
      patch.areaId === undefined ? row.area_id : patch.areaId,
    )
    this.deviceCache.delete(deviceId)
    this.stream.publish({ type: 'device.changed', deviceIds: [deviceId], change: 'updated' })
    return this.get(deviceId)
  }

  /** Deletes the device with its sensors and readings (in steps, without stalling the event loop). */
  async remove(deviceId: string): Promise<boolean> {
    if (!this.repo.get(deviceId)) return false
    // On the writer thread, in steps: readings flushes go on in between, the event loop is never held.
    let purged: number
    do {
      purged = await this.writer.run('devices.purgeReadings', { id: deviceId, limit: PURGE_CHUNK })
    } while (purged === PURGE_CHUNK)
    // Also forgets the device's sensor ids on the writer thread, in the same step.
    const deleted = await this.writer.run('devices.delete', deviceId)
    this.writes.forget(deviceId)
    this.presence.forget(deviceId)
    this.reported.delete(deviceId)
    this.deviceCache.delete(deviceId)
    this.latestCache.delete(deviceId)
    this.connections.close(deviceId, CLOSE.deleted, 'device deleted')
    this.stream.publish({ type: 'device.changed', deviceIds: [deviceId], change: 'deleted' })
    return deleted
  }

  /** Issues a per-device bearer token (returned once, stored hashed); replaces any previous one. */
  issueToken(deviceId: string): string | undefined {
    const token = newToken()
    if (!this.repo.setTokenHash(deviceId, hashToken(token))) return undefined
    this.afterTokenChange(deviceId)
    return token
  }

  revokeToken(deviceId: string): boolean {
    if (!this.repo.setTokenHash(deviceId, null)) return false
    this.afterTokenChange(deviceId)
    return true
  }

  private afterTokenChange(deviceId: string): void {
    this.deviceCache.delete(deviceId)
    // A socket opened with the old token loses its right to stay.
    this.connections.close(deviceId, CLOSE.tokenRevoked, 'device token changed', 'token')
    this.stream.publish({ type: 'device.changed', deviceIds: [deviceId], change: 'token' })
  }

  // --- WebSockets ------------------------------------------------------------------------------------

  connect(deviceId: string, socket: WebSocket, via: DeviceConnection['via'], ip: string | null) {
    const conn = this.connections.attach(deviceId, socket, via, ip)
    const wasConnected = this.presence.isConnected(deviceId)
    this.presence.setConnected(deviceId, true, ip)
    // A socket replacing the device's previous one is a new connection too (what waits for it goes out).
    if (wasConnected) this.publishPresence(deviceId, 'connected')
    return conn
  }

  disconnect(conn: DeviceConnection): void {
    if (this.connections.detach(conn)) this.presence.setConnected(conn.deviceId, false, conn.ip)
  }

  // --- online state ----------------------------------------------------------------------------------

  /**
   * Presence is the station's own observation (in memory, exact); its persistence (is_online,
   * last_seen_at) is coalesced through the device write queue. Published as `device.presence`: the live
   * channel, station events and rules subscribe.
   */
  private onPresence(deviceId: string, s: PresenceState, change: PresenceChange): void {
    if (change === 'online' || change === 'offline') {
      this.writes.setOnline(deviceId, change === 'online')
      if (change === 'offline') this.deviceCache.delete(deviceId)
    }
    this.stream.publish({
      type: 'device.presence',
      deviceId,
      online: s.online,
      connected: s.connected,
      lastSeenAt: s.lastSeen || null,
      change,
    })
  }

  private publishPresence(deviceId: string, change: PresenceChange): void {
    this.stream.publish({
      type: 'device.presence',
      deviceId,
      online: this.presence.isOnline(deviceId),
      connected: this.presence.isConnected(deviceId),
      lastSeenAt: this.presence.lastSeen(deviceId) ?? null,
      change,
    })
  }

  private toDevice(row: DeviceRow): Device {
    const seen = this.presence.lastSeen(row.id)
    const lastSeenAt = Math.max(seen ?? 0, row.last_seen_at ?? 0)
    const caps = this.reported.get(row.id) ?? parseCapabilities(row.capabilities)
    return {
      id: row.id,
      name: row.name,
      areaId: row.area_id,
      online: this.presence.isOnline(row.id),
      connected: this.isConnected(row.id),
      lastSeenAt: lastSeenAt > 0 ? lastSeenAt : null,
      hasToken: row.has_token === 1,
      capabilities: caps ? [...caps] : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }
  }
}

/** A stored capabilities column: null when never reported (or unreadable). */
function parseCapabilities(json: string | null): string[] | null {
  if (json === null) return null
  try {
    const v: unknown = JSON.parse(json)
    return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : null
  } catch {
    return null
  }
}

/** A device's latest values (sorted by sensor name) with one sensor's newest value put in: a new list. */
function withLatest(list: readonly SensorLatest[], v: SensorLatest): SensorLatest[] {
  const i = list.findIndex((x) => x.sensor >= v.sensor)
  if (i === -1) return [...list, v]
  const next = list.slice()
  next.splice(i, list[i]!.sensor === v.sensor ? 1 : 0, v)
  return next
}

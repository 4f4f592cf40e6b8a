/**
 * The station's device service (`app.devices`): ingestion through the readings group-commit queue,
 * online state, device WebSockets, and the admin operations on devices.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { WebSocket } from 'ws'
import type { DeviceService } from '../services'
import type { Device, DeviceDetail, SensorLatest } from '../../shared/schemas/entities'
import type { StationToDevice } from '../../shared/schemas/device-protocol'
import { GroupCommitQueue } from '../queues/group-commit-queue'
import type { DomainCache } from '../cache/domain-cache'
import { hashToken, newToken } from '../auth/tokens'
import { DevicesRepository, type DeviceRow } from './devices-repository'
import type { FlushSummary } from './readings-writer'
import { encodeReadings, type IngestReading } from './readings-batch'
import type { Writer } from '../database/writer'
import { DeviceWrites } from './device-writes'
import { DevicePresence, type PresenceChange, type PresenceState } from './device-presence'
import { CLOSE, DeviceConnections, type DeviceConnection } from '../ws/device-connections'

/** Readings deleted per step when a device is deleted, so the event loop keeps serving meanwhile. */
const PURGE_CHUNK = 10_000
const MAX_SOCKET_BUFFER = 1024 * 1024

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

  constructor(private readonly app: FastifyInstance) {
    const { config, db } = app
    this.log = app.log.child({ component: 'devices' })
    this.repo = new DevicesRepository(db)
    this.writer = app.writer
    this.deviceCache = app.domainCaches.create('devices', 10_000, 5 * 60_000)
    this.latestCache = app.domainCaches.create('latest-readings', 10_000, 120_000)
    this.readings = app.queues.add(
      new GroupCommitQueue('readings', config.queues.readings, (items) => this.writeReadings(items), {
        onError: (err) => this.log.error({ err }, 'readings flush failed'),
      }),
    )
    this.writes = new DeviceWrites(this.writer, config.queues.devices, {
      afterCommit: ({ newDevices }) => {
        if (newDevices > 0) this.deviceCache.clear()
        app.changes.emit(['devices'])
      },
      onError: (err) => this.log.error({ err }, 'device write flush failed'),
    })
    app.queues.add(this.writes.queue)
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
    const every = Math.min(5_000, Math.max(50, Math.floor(this.app.config.deviceOfflineAfterMs / 2)))
    this.sweeper = setInterval(() => this.presence.sweep(), every)
    this.sweeper.unref()
    this.connections.startPing()
  }

  stop(): void {
    clearInterval(this.sweeper)
    this.connections.closeAll()
  }

  // --- ingestion -------------------------------------------------------------------------------------

  /** Resolves once the readings are committed (and their devices registered in the same transaction). */
  ingest(readings: IngestReading[]): Promise<void> {
    return this.readings.enqueue(readings)
  }

  /** The readings queue's commit: one transaction on the writer thread, then caches and live updates. */
  private async writeReadings(items: IngestReading[]): Promise<void> {
    const { batch, transfer } = encodeReadings(items)
    const summary = await this.writer.run('readings.write', batch, transfer)
    this.afterReadings(summary)
  }

  /** Committed: whatever follows must not throw, or the queue would think the flush failed. */
  private afterReadings(r: FlushSummary): void {
    try {
      this.app.changes.emit(
        r.newDevices.length > 0 ? ['readings', 'sensors', 'devices'] : ['readings', 'sensors'],
      )
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
      const live = this.app.live
      if (live.subscribers > 0) {
        // At most one live message per device and sensor per flush: the newest value.
        for (const s of r.latest) {
          live.publish({
            type: 'reading',
            deviceId: s.deviceId,
            sensor: s.sensor,
            value: s.value,
            unit: s.unit,
            ts: s.ts,
          })
        }
      }
    } catch (err) {
      this.log.error({ err }, 'after-commit work for readings failed')
    }
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

  get(deviceId: string): Device | undefined {
    const row = this.deviceCache.getOrLoad(deviceId, () => this.repo.get(deviceId))
    return row && this.toDevice(row)
  }

  touch(deviceId: string, ip: string | undefined): void {
    this.presence.heard(deviceId, ip ?? null)
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
    this.app.changes.emit(['devices'])
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
    this.deviceCache.delete(deviceId)
    this.latestCache.delete(deviceId)
    this.connections.close(deviceId, CLOSE.deleted, 'device deleted')
    this.app.changes.emit(['devices', 'sensors', 'readings'])
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
    this.app.changes.emit(['devices'])
  }

  // --- WebSockets ------------------------------------------------------------------------------------

  connect(deviceId: string, socket: WebSocket, via: DeviceConnection['via'], ip: string | null) {
    const conn = this.connections.attach(deviceId, socket, via, ip)
    this.presence.setConnected(deviceId, true, ip)
    return conn
  }

  disconnect(conn: DeviceConnection): void {
    if (this.connections.detach(conn)) this.presence.setConnected(conn.deviceId, false, conn.ip)
  }

  // --- online state ----------------------------------------------------------------------------------

  private onPresence(deviceId: string, s: PresenceState, change: PresenceChange): void {
    if (change === 'online' || change === 'offline') {
      const online = change === 'online'
      this.writes.setOnline(deviceId, online)
      if (!online) this.deviceCache.delete(deviceId)
      this.app.events
        .record({
          type: online ? 'device.online' : 'device.offline',
          severity: online ? 'info' : 'warning',
          sourceKind: 'device',
          sourceId: deviceId,
          message: online
            ? `Device ${deviceId} is online`
            : `Device ${deviceId} went offline (not heard from for ${Math.round((Date.now() - s.lastSeen) / 1000)} s)`,
        })
        .catch((err: unknown) => this.log.warn({ err, deviceId }, 'could not record device event'))
    }
    this.app.live.publish({
      type: 'device.status',
      deviceId,
      online: s.online,
      connected: s.connected,
      lastSeenAt: s.lastSeen || null,
    })
  }

  private toDevice(row: DeviceRow): Device {
    const seen = this.presence.lastSeen(row.id)
    const lastSeenAt = Math.max(seen ?? 0, row.last_seen_at ?? 0)
    return {
      id: row.id,
      name: row.name,
      areaId: row.area_id,
      online: this.presence.isOnline(row.id),
      connected: this.isConnected(row.id),
      lastSeenAt: lastSeenAt > 0 ? lastSeenAt : null,
      hasToken: row.has_token === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }
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

/** The concrete service behind `app.devices`, for the station's own device routes and sockets. */
export function deviceHub(app: FastifyInstance): DeviceHub {
  if (!(app.devices instanceof DeviceHub)) throw new Error('station-devices is not registered')
  return app.devices
}

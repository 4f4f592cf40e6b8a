/**
 * The services the station's Fastify plugins decorate the instance with. Each plugin implements one of
 * these; routes and other plugins depend on the interfaces, not on each other's files.
 */
import type { StorageMonitor } from './database/storage-monitor'
import type { StationConfig } from './config'
import type { Db } from './database/open'
import type { ReadPool } from './database/read-pool'
import type { Writer } from './database/writer'
import type { GroupCommitQueue, QueueStats } from './queues/group-commit-queue'
import type { LiveMessage } from '../shared/schemas/live'
import type { BuzzerRequest, Device, StationEvent } from '../shared/schemas/entities'
import type { EventSeverity, EventType } from '../shared/constants'
import type { StationToDevice } from '../shared/schemas/device-protocol'
import type { DomainCacheRegistry } from './cache/domain-cache'
import type { VideoHub } from './video/video-hub'
import type { DomainEventStream } from './events/domain-stream'
import type { WsLiveHub } from './ws/live-hub'
import type { DeviceHub } from './devices/device-service'

/** Tables a committed write changed: drives response-cache invalidation and live updates. */
export type Table =
  | 'areas'
  | 'cameras'
  | 'devices'
  | 'sensors'
  | 'readings'
  | 'buzzer_requests'
  | 'events'
  | 'users'
  | 'settings'

export interface LiveHub {
  /** Serializes once and sends to every subscriber that may see it (optionally admins only). */
  publish(msg: LiveMessage, opts?: { adminOnly?: boolean }): void
  readonly subscribers: number
  stats(): { subscribers: number; published: number; dropped: number; slowDisconnects: number }
  /** In-process subscriber (the desktop IPC bridge): receives what a /ws/live subscriber with this role would. */
  subscribe(who: { username: string; role: string }, deliver: (msg: LiveMessage) => void): () => void
}

export interface NewEvent {
  type: EventType
  severity: EventSeverity
  sourceKind: 'camera' | 'device' | 'buzzer' | 'queue' | 'station'
  sourceId: string
  message: string
}

export interface EventService {
  /** Records an event (written and committed), publishes it live, and resolves with the stored event. */
  record(e: NewEvent): Promise<StationEvent>
  /**
   * Records who acknowledged an event (committed before it returns); undefined when the event is unknown.
   * The first acknowledgement is kept: a repeat changes nothing and answers `recorded: false`.
   */
  acknowledge(
    id: number,
    by: string,
    note: string | undefined,
  ): { event: StationEvent; recorded: boolean } | undefined
  /** Acknowledges many at once (one transaction); `acknowledged` counts those this call recorded. */
  acknowledgeMany(
    ids: readonly number[],
    by: string,
    note: string | undefined,
  ): { events: StationEvent[]; acknowledged: number }
  /** Links an event to the alarm a rule raised from it (committed before it returns; the first is kept). */
  linkAlarm(id: number, alarmId: number): StationEvent | undefined
}

export interface DeviceService {
  /** Sends a message to a device's open WebSocket; false when it holds none (or it is too slow). */
  send(deviceId: string, msg: StationToDevice): boolean
  isConnected(deviceId: string): boolean
  /**
   * Whether the device exists, counting one the station is talking to whose row is still being written:
   * resolves once that row is committed (so a write referring to the device may follow).
   */
  known(deviceId: string): Promise<boolean>
  isOnline(deviceId: string): boolean
  get(deviceId: string): Device | undefined
  /** Records that a device was heard from (coalesced through the device write queue). */
  touch(deviceId: string, ip: string | undefined): void
  /** A heartbeat said what the device can do (`capabilities`). */
  reportCapabilities(deviceId: string, capabilities: readonly string[]): void
  /** What the device said it can do; null when it never said (older firmware). */
  capabilities(deviceId: string): readonly string[] | null
  stats(): { known: number; online: number; connected: number }
}

export interface BuzzerService {
  /** Commands queued or sent but not yet acknowledged, oldest first; marks queued ones as sent. */
  takePending(deviceId: string): Promise<BuzzerRequest[]>
  acknowledge(requestId: string, deviceId: string, ok: boolean, error?: string): Promise<BuzzerRequest>
  /** Queues a command (resolves after commit, pushed at once to a connected device): 404 unknown, 409 offline. */
  create(input: {
    deviceId: string
    action: BuzzerRequest['action']
    durationMs?: number | undefined
    pattern?: BuzzerRequest['pattern'] | undefined
    requestedBy: string | null
  }): Promise<BuzzerRequest>
  /** The committed state of a request. */
  get(requestId: string): BuzzerRequest | undefined
  /** A device's requests, most recent first. */
  listForDevice(deviceId: string, limit: number): BuzzerRequest[]
}

/** Every write queue registers here: for stats, and so shutdown flushes them all before the database closes. */
export interface QueueRegistry {
  add<T>(queue: GroupCommitQueue<T>): GroupCommitQueue<T>
  stats(): QueueStats[]
  /** Calls `listener(queueName)` (within about a second) whenever a queue has refused work since the last check. */
  onFull(listener: (queue: string) => void): () => void
  /** Stops accepting writes and commits everything pending (resolves once the last commit is done). */
  closeAll(): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    config: StationConfig
    db: Db
    /** The writer thread (named write operations of database/write-ops.ts); inline when USEDB=false. */
    writer: Writer
    /** The database's storage state: faults (full, read-only, damaged) and free space (database/storage-monitor.ts). */
    storage: StorageMonitor
    reads: ReadPool
    /** Committed domain facts, in commit order (events/domain-stream.ts). */
    domainEvents: DomainEventStream
    queues: QueueRegistry
    domainCaches: DomainCacheRegistry
    /** The UI's live channel (ws/live-hub.ts): `/ws/live` subscribers and in-process ones. */
    live: WsLiveHub
    events: EventService
    devices: DeviceHub
    buzzers: BuzzerService
    /** Live video: one relay channel per camera (video/video-hub.ts). */
    video: VideoHub
  }
}

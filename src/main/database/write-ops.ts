/**
 * The catalogue of named write operations run by the writer (a worker thread with its own connection, or
 * inline on the main connection when the database is in memory). Callers name an operation and pass plain
 * data; SQL never crosses the thread boundary. Each operation runs in one transaction of its own (IMMEDIATE:
 * the write lock is taken first, so busy_timeout covers any wait for the main connection's rare writes), and
 * its statements are prepared once per connection.
 */
import type { Db } from './open'
import { DevicesRepository } from '../devices/devices-repository'
import { ReadingsWriter, type FlushSummary } from '../devices/readings-writer'
import type { ReadingsBatch } from '../devices/readings-batch'
import { EventsRepository, type EventDraft } from '../events/events-repository'
import { BuzzerRepository } from '../buzzers/buzzer-repository'
import type { BuzzerRequest } from '../../shared/schemas/entities'
import { createHealthWriter, type HealthUpdate } from '../cameras/repository'
import { createAuditWriteOps } from '../audit/audit-write-ops'
import { recordingWriteOps } from '../recording/repository'
import { createRetentionWriteOps } from '../recording/retention/retention-write-ops'

/** A coalesced device write (see devices/device-writes.ts). */
export interface DeviceTouch {
  id: string
  /** last_seen_at to record (0: none); registers the device when unknown. */
  seenAt: number
  ip: string | null
  online: boolean | undefined
  /** What the device said it can do (undefined: unchanged). */
  capabilities?: readonly string[] | undefined
}

export function createWriteOps(db: Db) {
  const devices = new DevicesRepository(db)
  const readings = new ReadingsWriter(db, devices)
  const events = new EventsRepository(db)
  const buzzers = new BuzzerRepository(db)

  const touchTx = db.transaction((touches: readonly DeviceTouch[]) => {
    let newDevices = 0
    let onlineChanges = 0
    let capabilityChanges = 0
    for (const w of touches) {
      if (w.seenAt > 0 && devices.upsertSeen(w.id, w.seenAt, w.ip)) newDevices++
      if (w.online !== undefined) {
        devices.setOnline(w.id, w.online)
        onlineChanges++
      }
      if (w.capabilities !== undefined) {
        devices.setCapabilities(w.id, w.capabilities)
        capabilityChanges++
      }
    }
    return { newDevices, onlineChanges, capabilityChanges }
  }).immediate
  const deleteDeviceTx = db.transaction((id: string) => devices.delete(id)).immediate
  const purgeTx = db.transaction((id: string, limit: number) => devices.purgeReadings(id, limit)).immediate
  const eventsTx = db.transaction((drafts: readonly EventDraft[]) => events.insertEach(drafts)).immediate
  const buzzersTx = db.transaction((states: readonly BuzzerRequest[]) => buzzers.saveEach(states)).immediate
  const cameraHealthTx = createHealthWriter(db)

  return {
    /** One flush of the readings queue: devices registered, readings inserted, sensors' latest moved. */
    'readings.write': (batch: ReadingsBatch): FlushSummary => readings.commit(batch),
    /** One flush of the device queue: last-seen touches (registering unknown devices) and online state. */
    'devices.touch': (touches: readonly DeviceTouch[]) => touchTx(touches),
    /** Deletes up to `limit` readings of a device (a step of deleting it); answers how many went. */
    'devices.purgeReadings': (p: { id: string; limit: number }): number => purgeTx(p.id, p.limit),
    /** Deletes a device (its sensors go with it) and forgets its cached sensor ids; true when it existed. */
    'devices.delete': (id: string): boolean => {
      try {
        return deleteDeviceTx(id)
      } finally {
        readings.forget(id)
      }
    },
    /** One flush of the events queue; answers the new ids in order. */
    'events.insert': (drafts: readonly EventDraft[]): number[] => eventsTx(drafts),
    /** One flush of the buzzer queue: every state an upsert of the whole row (later states win). */
    'buzzers.save': (states: readonly BuzzerRequest[]): void => buzzersTx(states),
    /** One flush of the camera health queue: online state and last_seen_at; answers the ids whose online state was written. */
    'cameras.health': (items: readonly HealthUpdate[]): number[] => cameraHealthTx(items),
    /**
     * Copies the WAL into the database and truncates it to nothing: run often while disk space is short
     * (database/storage-space.ts), so the WAL gives back what it holds instead of filling the disk again.
     */
    'database.checkpoint': (): { busy: boolean; walFrames: number } => {
      const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[]
      return { busy: (row?.busy ?? 0) !== 0, walFrames: row?.log ?? 0 }
    },
    ...createAuditWriteOps(db),
    /** Recording: segments indexed, marks, holds, start-up reconciliation (recording/repository.ts). */
    ...recordingWriteOps(db),
    /** Recording retention and admins' deletions (recording/retention/retention-write-ops.ts). */
    ...createRetentionWriteOps(db),
  }
}

export type WriteOps = ReturnType<typeof createWriteOps>
export type WriteOpName = keyof WriteOps
export type WriteOpPayload<K extends WriteOpName> = Parameters<WriteOps[K]>[0]
export type WriteOpResult<K extends WriteOpName> = ReturnType<WriteOps[K]>

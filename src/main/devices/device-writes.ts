/**
 * The device write queue (seed: device updates every 100 ms): coalesced last-seen/IP touches and online
 * state changes, one transaction per flush. A device's pending writes ride as one queue item however often
 * it is touched meanwhile; callers do not wait for these commits (heartbeats are answered at once).
 */
import type { Db } from '../database/open'
import type { QueueConfig } from '../config'
import { GroupCommitQueue } from '../queues/group-commit-queue'
import type { DevicesRepository } from './devices-repository'

interface PendingWrite {
  seenAt: number
  ip: string | null
  online: boolean | undefined
}

export class DeviceWrites {
  readonly queue: GroupCommitQueue<string>
  private readonly pending = new Map<string, PendingWrite>()
  private readonly tx: (ids: readonly string[]) => { newDevices: number; onlineChanges: number }

  constructor(
    db: Db,
    private readonly repo: DevicesRepository,
    config: QueueConfig,
    private readonly hooks: {
      /** After a commit that registered devices or changed online state. */
      afterCommit: (changed: { newDevices: number; onlineChanges: number }) => void
      onError: (err: unknown) => void
    },
  ) {
    this.tx = db.transaction((ids: readonly string[]) => {
      let newDevices = 0
      let onlineChanges = 0
      for (const id of ids) {
        const w = this.pending.get(id)
        if (!w) continue
        if (w.seenAt > 0 && this.repo.upsertSeen(id, w.seenAt, w.ip)) newDevices++
        if (w.online !== undefined) {
          this.repo.setOnline(id, w.online)
          onlineChanges++
        }
      }
      return { newDevices, onlineChanges }
    })
    this.queue = new GroupCommitQueue<string>('devices', config, (ids) => this.commit(ids), {
      onError: hooks.onError,
    })
  }

  /** Records that the device was heard from (registering it when unknown). */
  touch(id: string, seenAt: number, ip: string | null): void {
    const w = this.slot(id)
    if (!w) return
    w.seenAt = Math.max(w.seenAt, seenAt)
    if (ip !== null) w.ip = ip
  }

  setOnline(id: string, online: boolean): void {
    const w = this.slot(id)
    if (w) w.online = online
  }

  /** Drops what is pending for a deleted device. */
  forget(id: string): void {
    this.pending.delete(id)
  }

  private slot(id: string): PendingWrite | undefined {
    const existing = this.pending.get(id)
    if (existing) return existing
    if (!this.queue.hasRoom(1)) return undefined // bounded: a touch is dropped rather than queued without end
    const w: PendingWrite = { seenAt: 0, ip: null, online: undefined }
    this.pending.set(id, w)
    // Nobody waits for this commit; a failed flush is reported through onError and its writes dropped.
    this.queue.enqueue([id]).catch(() => this.pending.delete(id))
    return w
  }

  private commit(ids: string[]): void {
    const changed = this.tx(ids)
    for (const id of ids) this.pending.delete(id)
    if (changed.newDevices > 0 || changed.onlineChanges > 0) {
      try {
        this.hooks.afterCommit(changed)
      } catch (err) {
        this.hooks.onError(err)
      }
    }
  }
}

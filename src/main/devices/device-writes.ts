/**
 * The device write queue (seed: device updates every 100 ms): coalesced last-seen/IP touches and online
 * state changes, one transaction per flush on the writer thread ('devices.touch'). A device's pending writes
 * ride as one queue item however often it is touched meanwhile; callers do not wait for these commits
 * (heartbeats are answered at once).
 *
 * A device's entry is sealed when its flush starts: a touch during that flush opens a new entry (carrying
 * the sealed values, so a retried or failed flush loses nothing newer) that rides in the next one.
 */
import type { QueueConfig } from '../config'
import { GroupCommitQueue } from '../queues/group-commit-queue'
import type { Writer } from '../database/writer'
import type { DeviceTouch } from '../database/write-ops'

interface PendingWrite {
  seenAt: number
  ip: string | null
  online: boolean | undefined
  capabilities: readonly string[] | undefined
  /** Its flush has started: later touches go to a new entry. */
  sealed: boolean
  /** Settles when the flush holding this entry has committed (or failed). */
  done: Promise<boolean>
}

const FALSE = Promise.resolve(false)

export class DeviceWrites {
  readonly queue: GroupCommitQueue<string>
  private readonly pending = new Map<string, PendingWrite>()

  constructor(
    private readonly writer: Writer,
    config: QueueConfig,
    private readonly hooks: {
      /** After a commit that registered devices or changed online state. */
      afterCommit: (changed: {
        newDevices: number
        onlineChanges: number
        capabilityChanges: number
        deviceIds: string[]
      }) => void
      onError: (err: unknown) => void
    },
  ) {
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

  /** Records what the device said it can do (with its touch: the row exists by then). */
  setCapabilities(id: string, capabilities: readonly string[]): void {
    const w = this.slot(id)
    if (w) w.capabilities = capabilities
  }

  /**
   * Resolves once the device's row is committed: at once when nothing is pending for it, else with the
   * flush holding its pending write (true when it committed).
   */
  written(id: string): Promise<boolean> {
    return this.pending.get(id)?.done ?? Promise.resolve(true)
  }

  /** Drops what is pending for a deleted device. */
  forget(id: string): void {
    this.pending.delete(id)
  }

  /** Writes waiting or in flight (tests, stats). */
  get size(): number {
    return this.pending.size
  }

  private slot(id: string): PendingWrite | undefined {
    const existing = this.pending.get(id)
    if (existing && !existing.sealed) return existing
    if (!this.queue.hasRoom(1)) return undefined // bounded: a touch is dropped rather than queued without end
    const w: PendingWrite = existing
      ? { ...existing, sealed: false, done: FALSE }
      : { seenAt: 0, ip: null, online: undefined, capabilities: undefined, sealed: false, done: FALSE }
    this.pending.set(id, w)
    // Heartbeats do not wait for this commit (`written` does); a failed flush is reported through onError
    // and its writes dropped.
    w.done = this.queue.enqueue([id]).then(
      () => true,
      () => {
        if (this.pending.get(id) === w) this.pending.delete(id)
        return false
      },
    )
    return w
  }

  private async commit(ids: string[]): Promise<void> {
    const touches: DeviceTouch[] = []
    const sealed: [string, PendingWrite][] = []
    for (const id of ids) {
      const w = this.pending.get(id)
      if (!w) continue // forgotten (deleted), or already written by an earlier flush
      w.sealed = true
      sealed.push([id, w])
      touches.push({ id, seenAt: w.seenAt, ip: w.ip, online: w.online, capabilities: w.capabilities })
    }
    if (touches.length === 0) return
    const changed = await this.writer.run('devices.touch', touches)
    for (const [id, w] of sealed) if (this.pending.get(id) === w) this.pending.delete(id)
    if (changed.newDevices > 0 || changed.onlineChanges > 0 || changed.capabilityChanges > 0) {
      try {
        this.hooks.afterCommit({ ...changed, deviceIds: touches.map((t) => t.id) })
      } catch (err) {
        this.hooks.onError(err)
      }
    }
  }
}

/**
 * Station events for what retention cannot fix, raised once when the problem starts and then at most
 * once a day while it lasts (never every minute): protected footage alone over the quota (retention keeps
 * it and says so), and a volume below its free-space reserve with only protected footage left. The
 * current problems also appear in the storage figures.
 */
import type { EventService } from '../../services'
import type { PassResult } from './retention-pass'
import { formatBytes } from './format-bytes'

export const ALERT_REPEAT_MS = 24 * 3_600_000

type Kind = 'storage.protected_over_quota' | 'storage.low_space'

interface Log {
  error(obj: object, msg: string): void
}

export class StorageAlerts {
  private readonly raisedAt = new Map<Kind, number>()
  private current: string[] = []

  constructor(
    private readonly events: Pick<EventService, 'record'>,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {}

  /** What retention cannot fix now, in sentences. */
  problems(): string[] {
    return this.current
  }

  /** Takes a pass's result: raises what started (or is due again), forgets what ended. */
  update(result: PassResult, quotaBytes: number | null): void {
    const problems: string[] = []
    const q = result.quotaShortfall
    if (q && quotaBytes !== null && q.protectedBytes > quotaBytes) {
      const text =
        `Protected footage alone (${formatBytes(q.protectedBytes)}) exceeds the recordings quota ` +
        `(${formatBytes(quotaBytes)}): it is kept, not deleted; release alarm holds or raise the quota`
      problems.push(text)
      this.raise('storage.protected_over_quota', text)
    } else {
      this.raisedAt.delete('storage.protected_over_quota')
      if (q) {
        problems.push(
          `Recordings are ${formatBytes(q.overBytes)} over the quota, kept by cameras' minimum days ` +
            `and protected footage`,
        )
      }
    }
    const r = result.reserveShortfall
    if (r) {
      const text =
        `The recordings volume is below its free-space reserve by ${formatBytes(r.needBytes)} and only ` +
        `protected footage is left to delete: recording will stop when the disk fills`
      problems.push(text)
      this.raise('storage.low_space', text)
    } else {
      this.raisedAt.delete('storage.low_space')
    }
    this.current = problems
  }

  private raise(kind: Kind, message: string): void {
    const last = this.raisedAt.get(kind)
    const now = this.now()
    if (last !== undefined && now - last < ALERT_REPEAT_MS) return
    this.raisedAt.set(kind, now)
    this.events
      .record({ type: kind, severity: 'warning', sourceKind: 'station', sourceId: 'recordings', message })
      .catch((err: unknown) => this.log.error({ err }, 'storage event could not be recorded'))
  }
}

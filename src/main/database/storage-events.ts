/**
 * Storage faults as station events: a critical `storage.database_fault` when one begins and an info
 * `storage.recovered` when writes are accepted again. While the disk is full the fault's own event cannot
 * be written either: it is kept and recorded (with the time it began) as soon as a write succeeds, before
 * the recovery. `/api/health` says it at once, written or not.
 */
import type { EventService } from '../services'
import type { StorageChange, StorageMonitor } from './storage-monitor'

interface Log {
  warn(obj: object, msg: string): void
}

export function recordStorageEvents(
  monitor: Pick<StorageMonitor, 'onChange'>,
  events: Pick<EventService, 'record'>,
  log: Log,
): () => void {
  let unwritten: { message: string; since: number } | undefined
  const fault = (message: string) =>
    events.record({
      type: 'storage.database_fault',
      severity: 'critical',
      sourceKind: 'station',
      sourceId: 'database',
      message,
    })
  return monitor.onChange((change: StorageChange) => {
    if (change.type === 'fault') {
      unwritten = undefined
      fault(change.message).catch(() => {
        unwritten = { message: change.message, since: change.since }
      })
      return
    }
    const pending = unwritten
    unwritten = undefined
    const began = new Date(change.since).toISOString()
    void (async () => {
      if (pending) await fault(`${pending.message} (since ${began}; this event could not be written then)`)
      await events.record({
        type: 'storage.recovered',
        severity: 'info',
        sourceKind: 'station',
        sourceId: 'database',
        message: `Storage recovered: writes are accepted again (${change.kind} since ${began}, ${change.refusedWrites} writes refused)`,
      })
    })().catch((err: unknown) => log.warn({ err }, 'could not record the storage event'))
  })
}

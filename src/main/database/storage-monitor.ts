/**
 * The database's storage state while the station runs: every write that fails for the disk's sake (full,
 * read-only, damaged) becomes a `StorageFault` (503 with its code, ./storage-fault.ts), the state turns
 * from ok to that fault and back on the next committed write, and the log gets one line when it starts,
 * one aggregated line per interval while it lasts (how many writes were refused) and one when it ends:
 * never a stack trace per request. `/api/health` and the station events read it.
 */
import { StorageFault, storageFaultKind, storageFaultMessage, type StorageFaultKind } from './storage-fault'
import type { StorageReport } from './storage-check'

export interface StorageState {
  state: 'ok' | StorageFaultKind
  /** What is wrong, for a person; absent while ok. */
  message?: string
  /** When the current fault began (epoch ms). */
  since?: number
  /** Writes refused since the fault began. */
  refusedWrites: number
  /** Free bytes on the data folder's volume at the last look, when known. */
  freeBytes?: number
  /** What the start-up checks found. */
  startup?: StorageReport
}

interface Log {
  error(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  info(obj: object, msg: string): void
}

export type StorageChange =
  | { type: 'fault'; kind: StorageFaultKind; message: string; since: number }
  | { type: 'recovered'; kind: StorageFaultKind; since: number; refusedWrites: number }

/**
 * A full disk counts as recovered once a write has committed and the volume has at least this much free:
 * at the very edge some writes fit and others do not, and the state must not flap with each of them.
 */
export const RECOVERY_FREE_BYTES = 1024 * 1024

/** How often a lasting fault is logged again (with the count of writes refused meanwhile). */
export const FAULT_LOG_INTERVAL_MS = 60_000

export class StorageMonitor {
  private current: { kind: StorageFaultKind; message: string; since: number } | undefined
  private refused = 0
  private refusedSinceLog = 0
  private lastLogAt = 0
  private free: number | undefined
  private startup: StorageReport | undefined
  private wroteSinceFault = false
  /**
   * Damage a read found: it stays until the station restarts (the start-up checks look again). A write
   * that commits touched other pages; it says nothing about the damaged ones.
   */
  private damageFoundByRead = false
  private readonly listeners = new Set<(change: StorageChange) => void>()

  constructor(
    private readonly dataDir: string | undefined,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
    private readonly logIntervalMs = FAULT_LOG_INTERVAL_MS,
  ) {}

  /**
   * Looks at an error from a write: a storage fault is recorded (and logged, aggregated) and returned as
   * a reported `StorageFault`; any other error is returned unchanged.
   */
  fault(err: unknown): unknown {
    if (err instanceof StorageFault && err.reported) return err
    const kind = storageFaultKind(err)
    if (!kind) return err
    const fault =
      err instanceof StorageFault
        ? err
        : new StorageFault(kind, storageFaultMessage(kind, this.dataDir), { cause: err })
    const now = this.now()
    this.refused++
    this.refusedSinceLog++
    this.wroteSinceFault = false
    if (this.current?.kind !== kind) {
      this.current = { kind, message: fault.message, since: now }
      this.refused = 1
      this.refusedSinceLog = 0
      this.lastLogAt = now
      const cause = (err as { code?: string; message?: string }) ?? {}
      this.log.error({ storage: kind, code: cause.code, cause: cause.message }, fault.message)
      this.emit({ type: 'fault', kind, message: fault.message, since: now })
    } else if (now - this.lastLogAt >= this.logIntervalMs) {
      this.log.warn(
        {
          storage: kind,
          refusedWrites: this.refusedSinceLog,
          since: new Date(this.current.since).toISOString(),
        },
        `${fault.message} (${this.refusedSinceLog} writes refused in the last ${Math.round((now - this.lastLogAt) / 1000)} s)`,
      )
      this.refusedSinceLog = 0
      this.lastLogAt = now
    }
    fault.reported = true
    return fault
  }

  /**
   * Looks at an error from a read: a damaged database (SQLITE_CORRUPT, SQLITE_NOTADB: a page found
   * damaged after the start-up checks passed) is recorded as the `damaged` fault, for good, and returned as
   * a reported `StorageFault` (503 STORAGE_DAMAGED); any other error is returned unchanged.
   */
  readFault(err: unknown): unknown {
    if (storageFaultKind(err) !== 'damaged') return err
    this.damageFoundByRead = true
    return this.fault(err)
  }

  /** A write committed: a fault, if any, is over (a full disk once it has some room again). */
  wrote(): void {
    if (!this.current) return
    this.wroteSinceFault = true
    this.maybeRecovered()
  }

  private maybeRecovered(): void {
    const ended = this.current
    if (!ended || !this.wroteSinceFault) return
    if (ended.kind === 'damaged' && this.damageFoundByRead) return
    if (ended.kind === 'full' && (this.free === undefined || this.free < RECOVERY_FREE_BYTES)) return
    this.current = undefined
    this.log.info(
      { storage: 'ok', was: ended.kind, refusedWrites: this.refused },
      `storage recovered: writes are accepted again (${this.refused} were refused while it was ${ended.kind})`,
    )
    this.emit({ type: 'recovered', kind: ended.kind, since: ended.since, refusedWrites: this.refused })
    this.refused = 0
  }

  /** The current fault, if any. */
  currentFault(): StorageFaultKind | undefined {
    return this.current?.kind
  }

  setFreeBytes(bytes: number | undefined): void {
    this.free = bytes
    this.maybeRecovered()
  }

  setStartupReport(report: StorageReport): void {
    this.startup = report
  }

  state(): StorageState {
    return {
      state: this.current?.kind ?? 'ok',
      ...(this.current ? { message: this.current.message, since: this.current.since } : {}),
      refusedWrites: this.current ? this.refused : 0,
      ...(this.free !== undefined ? { freeBytes: this.free } : {}),
      ...(this.startup ? { startup: this.startup } : {}),
    }
  }

  onChange(listener: (change: StorageChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(change: StorageChange): void {
    for (const l of this.listeners) {
      try {
        l(change)
      } catch {
        // A listener (events, live) never breaks the writer.
      }
    }
  }
}

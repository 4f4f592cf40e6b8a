/**
 * Watches the free space of the data folder's volume and checkpoints the WAL more often when it is short:
 * normally SQLite checkpoints every 2000 pages and the WAL file keeps its size; with little space left the
 * writer thread runs `wal_checkpoint(TRUNCATE)` every couple of seconds, so the WAL gives its space back
 * and a disk freed by a little recovers instead of being filled again by the WAL.
 */
import { statfs } from 'node:fs/promises'
import type { StorageMonitor } from './storage-monitor'
import type { Writer } from './writer'

/** Below this much free space the WAL is checkpointed and truncated often. */
export const LOW_SPACE_BYTES = 64 * 1024 * 1024
export const SPACE_CHECK_MS = 10_000
export const SHORT_SPACE_CHECK_MS = 2_000

interface Log {
  warn(obj: object, msg: string): void
}

export function watchSpace(opts: {
  dataDir: string
  writer: Pick<Writer, 'run'>
  monitor: Pick<StorageMonitor, 'setFreeBytes' | 'currentFault'>
  log: Log
  lowSpaceBytes?: number
  checkMs?: number
  shortCheckMs?: number
}): { stop(): void; check(): Promise<void> } {
  const low = opts.lowSpaceBytes ?? LOW_SPACE_BYTES
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let wasShort = false
  const check = async (): Promise<boolean> => {
    let free: number | undefined
    try {
      const s = await statfs(opts.dataDir)
      free = s.bavail * s.bsize
    } catch {
      free = undefined
    }
    opts.monitor.setFreeBytes(free)
    const short = (free !== undefined && free < low) || opts.monitor.currentFault() === 'full'
    if (short && !wasShort) {
      opts.log.warn({ freeBytes: free }, 'disk space is short: checkpointing the database WAL often')
    }
    wasShort = short
    if (short && !stopped) {
      // Fails while the disk is full to the last page; the next check tries again.
      await opts.writer.run('database.checkpoint', undefined).catch(() => {})
    }
    return short
  }
  const loop = () => {
    if (stopped) return
    void check().then((short) => {
      if (stopped) return
      timer = setTimeout(
        loop,
        short ? (opts.shortCheckMs ?? SHORT_SPACE_CHECK_MS) : (opts.checkMs ?? SPACE_CHECK_MS),
      )
      timer.unref()
    })
  }
  loop()
  return {
    stop() {
      stopped = true
      clearTimeout(timer)
    },
    check: async () => {
      await check()
    },
  }
}

/**
 * The files of deleted segments. The index row goes first (committed through the writer), then the file:
 * a crash between the two leaves a file no row names, which the recorder's start-up recovery removes (an
 * orphan), never a row whose file is gone. Unlinks run a few at a time on libuv's pool, so a large pass
 * never queues thousands of them at once; a file already gone is not an error. A day folder older than
 * yesterday is removed once empty (the recorder no longer writes there).
 */
import { rmdir, unlink } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'

/** Where recordings live: `<dataDir>/recordings/<cameraId>/<YYYY-MM-DD>/<start>.mp4` (the recorder's). */
export { recordingsRoot as recordingsDir } from '../segment-path'

const CONCURRENCY = 8
const DAY_MS = 86_400_000

export interface UnlinkReport {
  removed: number
  missing: number
  failed: { path: string; error: string }[]
}

export class SegmentFiles {
  private readonly root: string

  constructor(root: string) {
    this.root = resolve(root)
  }

  /** The absolute path of an index row's relative path, or undefined when it would leave the folder. */
  resolve(path: string): string | undefined {
    const full = resolve(this.root, path)
    const rel = relative(this.root, full)
    return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? undefined : full
  }

  /** Unlinks the files of committed deletions (relative paths), `CONCURRENCY` at a time. */
  async unlinkAll(paths: readonly string[], now = Date.now()): Promise<UnlinkReport> {
    const report: UnlinkReport = { removed: 0, missing: 0, failed: [] }
    const folders = new Set<string>()
    let next = 0
    const worker = async () => {
      while (next < paths.length) {
        const path = paths[next++]!
        const full = this.resolve(path)
        if (!full) {
          report.failed.push({ path, error: 'outside the recordings folder' })
          continue
        }
        try {
          await unlink(full)
          report.removed++
          folders.add(dirname(full))
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code
          if (code === 'ENOENT') report.missing++
          else report.failed.push({ path, error: code ?? String(err) })
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, paths.length) }, worker))
    await this.removeOldDayFolders(folders, now)
    return report
  }

  private async removeOldDayFolders(folders: Set<string>, now: number): Promise<void> {
    const before = new Date(now - DAY_MS).toISOString().slice(0, 10)
    for (const folder of folders) {
      const day = folder.slice(folder.lastIndexOf(sep) + 1)
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day >= before) continue
      // Fails while the folder still holds files (ENOTEMPTY): it goes with its last segment.
      await rmdir(folder).catch(() => {})
    }
  }
}

/**
 * The free-space reserve on a real small volume: a 20 MiB tmpfs holding the station's data folder,
 * nearly filled with recordings; the pass frees the oldest until the reserve is met, as `statfs` sees it.
 * Mounting needs root (or CAP_SYS_ADMIN): without it the test is skipped, saying why.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { HOUR, startRetentionStation, type RetentionStation } from './retention-fixtures'
import { statfsVolume } from './volume'

const MiB = 1024 * 1024
const mountPoint = mkdtempSync(join(tmpdir(), 'retention-tmpfs-'))

function tryMount(): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m,mode=0700', 'tmpfs', mountPoint], { stdio: 'pipe' })
    return undefined
  } catch (err) {
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || String(err)
    return `cannot mount a tmpfs here (${why}): needs root or CAP_SYS_ADMIN`
  }
}
const skipReason = tryMount()
if (skipReason) console.warn(`tmpfs.test.ts skipped: ${skipReason}`)

let s: RetentionStation | undefined
afterAll(async () => {
  await s?.close().catch(() => {})
  if (!skipReason) execFileSync('umount', [mountPoint])
  rmSync(mountPoint, { recursive: true, force: true })
})

describe.skipIf(skipReason !== undefined)('the free-space reserve on a real 20 MiB tmpfs', () => {
  it('frees the oldest footage until statfs shows the reserve free', async () => {
    const dataDir = join(mountPoint, 'data')
    mkdirSync(dataDir)
    s = await startRetentionStation({ STATION_DATA_DIR: dataDir, STATION_RECORDINGS_RESERVE_PERCENT: '25' })
    const cam = await s.camera('Gate')
    const now = Date.now()
    // 16 segments of 1 MiB: with the database, about 3 MiB stay free, under the 5 MiB reserve.
    const ids = s.segments(
      cam,
      Array.from({ length: 16 }, (_, i) => ({ start: now - (16 - i) * HOUR, bytes: MiB })),
    )
    const volume = statfsVolume(join(dataDir, 'recordings'))
    const before = await volume()
    expect(before.totalBytes).toBe(20 * MiB)
    const reserve = before.totalBytes * 0.25
    expect(before.freeBytes).toBeLessThan(reserve)

    const r = await s.station.app.retention.runNow()
    const after = await volume()
    expect(after.freeBytes).toBeGreaterThanOrEqual(reserve)
    const gone = Math.ceil((reserve - before.freeBytes) / MiB)
    expect(r?.byReason.reserve).toBe(gone)
    expect(s.ids(cam)).toEqual(ids.slice(gone))
    const { rows, files } = s.agreement()
    expect(files).toEqual(rows)
  })
})

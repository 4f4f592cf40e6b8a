/**
 * Start-up recovery tells a crash's leftover from a deletion's: a camera's newest segment without its row
 * (the recorder was killed before indexing it) is repaired and indexed again; an older file without a row
 * (retention or an admin committed its deletion, then the station died before the unlink) is removed, so
 * deleted footage never comes back. Real fMP4 files (ffmpeg) in a temp folder, a real SQLite index.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { runMigrations } from '../database/migrations'
import { recordFixture } from './playback/segment-fixture.test-support'
import { recoverRecordings } from './recovery'
import { RecordingReads, recordingWriteOps } from './repository'
import { recordingsRoot } from './segment-path'

const dir = mkdtempSync(join(tmpdir(), 'recovery-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('start-up recovery', () => {
  it('indexes the newest unindexed segment again, and removes older unindexed files', async () => {
    const db = new Database(join(dir, 'station.db'))
    runMigrations(db)
    const fixture = await recordFixture(db, dir, 7, [{ start: Date.UTC(2026, 10, 30, 1), seconds: 40 }])
    const segs = fixture.segments
    expect(segs.length).toBeGreaterThanOrEqual(4)
    const ops = recordingWriteOps(db)
    const writer = {
      run: (async (op: string, arg: unknown) =>
        (ops as unknown as Record<string, (a: unknown) => unknown>)[op]!(arg)) as never,
    }
    // A deletion committed, its unlink never happened: the oldest segment's row is gone, its file is not.
    db.prepare('DELETE FROM recording_segments WHERE id = ?').run(segs[0]!.id)
    // A crash before the newest segment was indexed: its file is there, its row is not.
    const newest = segs.at(-1)!
    db.prepare('DELETE FROM recording_segments WHERE id = ?').run(newest.id)

    const report = await recoverRecordings({
      root: recordingsRoot(dir),
      reads: new RecordingReads(db),
      writer,
    })

    expect(existsSync(segs[0]!.file)).toBe(false)
    expect(existsSync(newest.file)).toBe(true)
    const starts = db
      .prepare('SELECT start_ms AS start FROM recording_segments WHERE camera_id = 7 ORDER BY start_ms')
      .pluck()
      .all() as number[]
    expect(starts).toEqual(segs.slice(1).map((s) => s.start))
    expect(report).toMatchObject({ repaired: 1, removedFiles: 1 })
    db.close()
  })
})

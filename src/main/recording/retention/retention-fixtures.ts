/**
 * Test fixtures for retention: a real station on a temp folder, cameras with retention settings, and
 * recorded segments as the recorder would leave them (a small file under the recordings folder, its
 * index row, then `recording.segment`), and a check that the index and the files agree. Test code only.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createTestStation, type TestStation } from '../../server/test-helper'
import { recordingsDir } from './segment-files'

export const DAY = 86_400_000
export const HOUR = 3_600_000

export interface SegmentSpec {
  start: number
  durationMs?: number
  bytes?: number
  protectedUntil?: number | null
}

export interface RetentionStation {
  station: TestStation
  admin: string
  guard: string
  root: string
  /** A push camera with these retention settings (columns the recorder's `recording` field sets). */
  camera(name: string, retention?: { minDays?: number; maxDays?: number; maxBytes?: number }): Promise<number>
  /** Writes the files and rows of segments and publishes them; answers their ids. */
  segments(cameraId: number, specs: SegmentSpec[]): number[]
  hold(cameraId: number, from: number, to: number, keepUntil: number): number
  /** Ids of a camera's segments still indexed, oldest first. */
  ids(cameraId: number): number[]
  /** The index's relative paths and the files on disk (both sorted). */
  agreement(): { rows: string[]; files: string[] }
  close(): Promise<void>
}

export async function startRetentionStation(env: Record<string, string> = {}): Promise<RetentionStation> {
  const station = await createTestStation(env)
  const admin = await station.login()
  const guard = await station.guardToken()
  const { app } = station
  // The start-up pass done (totals loaded), passes run only when a test asks: each result is that test's.
  await app.retention.runNow()
  app.retention.setAutomatic(false)
  const root = recordingsDir(station.config.dataDir)
  const insert = app.db.prepare(
    `INSERT INTO recording_segments (camera_id, start_ms, end_ms, bytes, path, keyframes, frames, protected_until, created_at)
     VALUES (@cameraId, @start, @end, @bytes, @path, 1, 250, @protectedUntil, @now)`,
  )
  return {
    station,
    admin,
    guard,
    root,
    async camera(name, retention = {}) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/cameras',
        headers: { authorization: `Bearer ${admin}` },
        payload: { name, kind: 'push', enabled: true },
      })
      if (res.statusCode !== 201) throw new Error(`camera: ${res.statusCode} ${res.body}`)
      const id = (res.json() as { data: { id: number } }).data.id
      app.db
        .prepare(
          'UPDATE cameras SET rec_mode = ?, rec_min_days = ?, rec_max_days = ?, rec_max_bytes = ? WHERE id = ?',
        )
        .run(
          'continuous',
          retention.minDays ?? null,
          retention.maxDays ?? null,
          retention.maxBytes ?? null,
          id,
        )
      return id
    },
    segments(cameraId, specs) {
      return specs.map((s) => {
        const end = s.start + (s.durationMs ?? 10_000)
        const bytes = s.bytes ?? 1000
        const day = new Date(s.start).toISOString().slice(0, 10)
        const path = `${cameraId}/${day}/${s.start}.mp4`
        mkdirSync(join(root, String(cameraId), day), { recursive: true })
        writeFileSync(join(root, path), Buffer.alloc(bytes, 7))
        const id = Number(
          insert.run({
            cameraId,
            start: s.start,
            end,
            bytes,
            path,
            protectedUntil: s.protectedUntil ?? null,
            now: Date.now(),
          }).lastInsertRowid,
        )
        app.domainEvents.publish({
          type: 'recording.segment',
          cameraId,
          segmentId: id,
          start: s.start,
          end,
          bytes,
        })
        return id
      })
    },
    hold(cameraId, from, to, keepUntil) {
      return Number(
        app.db
          .prepare(
            `INSERT INTO recording_holds (camera_id, from_ms, to_ms, keep_until, reason, created_at)
             VALUES (?, ?, ?, ?, 'alarm', ?)`,
          )
          .run(cameraId, from, to, keepUntil, Date.now()).lastInsertRowid,
      )
    },
    ids(cameraId) {
      return (
        app.db
          .prepare('SELECT id FROM recording_segments WHERE camera_id = ? ORDER BY start_ms')
          .all(cameraId) as { id: number }[]
      ).map((r) => r.id)
    },
    agreement() {
      const rows = (app.db.prepare('SELECT path FROM recording_segments').all() as { path: string }[])
        .map((r) => r.path)
        .sort()
      const files: string[] = []
      const walk = (dir: string) => {
        let names: string[]
        try {
          names = readdirSync(dir)
        } catch {
          return
        }
        for (const n of names) {
          const full = join(dir, n)
          if (statSync(full).isDirectory()) walk(full)
          else files.push(relative(root, full).split('\\').join('/'))
        }
      }
      walk(root)
      return { rows, files: files.sort() }
    },
    close: () => station.close(),
  }
}

/**
 * `/metrics` figures of recorded storage, read at scrape time from the retention service's snapshot
 * (in-memory totals and the last free-space check: no query per scrape beyond two index point reads per
 * camera). Base units: bytes, seconds; counters mirror the service's own counts.
 */
import { Counter, Gauge, type Registry } from 'prom-client'
import type { StorageSummary } from '../../../shared/schemas/recordings'
import type { RetentionFigures } from './retention-service'

export function registerStorageMetrics(
  registry: Registry,
  snapshot: () => StorageSummary,
  figures: () => RetentionFigures,
): void {
  // One snapshot per scrape: prom-client runs every collect() of a scrape in one synchronous stretch.
  let memo: StorageSummary | undefined
  const current = () => {
    if (!memo) {
      memo = snapshot()
      queueMicrotask(() => (memo = undefined))
    }
    return memo
  }
  const registers = [registry]
  const perCamera = (name: string, help: string, read: (c: StorageSummary['cameras'][number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['camera_id'],
      registers,
      collect() {
        this.reset()
        for (const c of current().cameras) this.set({ camera_id: c.cameraId }, read(c))
      },
    })
  const one = (name: string, help: string, read: (s: StorageSummary) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read(current()))
      },
    })
  const counter = (name: string, help: string, read: (f: RetentionFigures) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset()
        this.inc(read(figures()))
      },
    })

  perCamera(
    'station_recording_bytes',
    'Bytes of recorded footage per camera (from the index)',
    (c) => c.bytes,
  )
  perCamera('station_recording_segments', 'Recorded segments per camera', (c) => c.segments)
  perCamera(
    'station_recording_protected_bytes',
    'Bytes of footage an alarm hold protects per camera',
    (c) => c.protectedBytes,
  )
  perCamera(
    'station_recording_retained_seconds',
    "Time from a camera's oldest recording to now",
    (c) => c.daysCovered * 86_400,
  )
  perCamera(
    'station_recording_write_bytes_per_second',
    'Bytes per second recorded per camera',
    (c) => c.writeBytesPerSec,
  )
  one('station_recordings_bytes', "All cameras' recorded bytes", (s) => s.totalBytes)
  one('station_recordings_quota_bytes', 'Recordings quota (0: none)', (s) => s.quotaBytes ?? 0)
  one('station_recordings_volume_size_bytes', 'Size of the recordings volume', (s) => s.volume.totalBytes)
  one(
    'station_recordings_volume_free_bytes',
    'Free space on the recordings volume',
    (s) => s.volume.freeBytes,
  )
  one(
    'station_recordings_volume_reserve_bytes',
    'Free space retention keeps on the recordings volume',
    (s) => s.volume.reserveBytes,
  )
  one('station_retention_last_pass_duration_seconds', 'How long the last retention pass took', (s) =>
    s.lastRetention ? s.lastRetention.ms / 1000 : 0,
  )
  counter('station_retention_passes_total', 'Retention passes run', (f) => f.passes)
  counter(
    'station_retention_deleted_segments_total',
    'Segments deleted (retention and admins)',
    (f) => f.deletedSegments,
  )
  counter(
    'station_retention_deleted_bytes_total',
    'Bytes deleted (retention and admins)',
    (f) => f.deletedBytes,
  )
}

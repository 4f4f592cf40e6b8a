/**
 * How the storage panel draws the figures: each camera's share of the scale (the quota when there is one,
 * else the volume, else the largest camera) and its protected part, and what the caps say. Pure.
 */
import type { CameraStorage, StorageSummary } from '../../../../shared/contract'

export interface CameraBar {
  cameraId: number
  label: string
  /** Of the scale, 0..1. */
  share: number
  protectedShare: number
  caps: string
}

export function scaleOf(s: StorageSummary): { bytes: number; label: string } {
  if (s.quotaBytes) return { bytes: s.quotaBytes, label: 'of the quota' }
  if (s.volume.totalBytes > 0) return { bytes: s.volume.totalBytes, label: 'of the volume' }
  return { bytes: Math.max(1, ...s.cameras.map((c) => c.bytes)), label: 'of the largest camera' }
}

function capsOf(c: CameraStorage, bytes: (n: number) => string): string {
  const r = c.retention
  const parts = [
    r.minDays != null ? `at least ${r.minDays} d` : null,
    r.maxDays != null ? `at most ${r.maxDays} d` : null,
    r.maxBytes != null ? `at most ${bytes(r.maxBytes)}` : null,
  ].filter((p): p is string => p !== null)
  return parts.length ? parts.join(', ') : 'no per-camera limit'
}

export function cameraBars(s: StorageSummary, bytes: (n: number) => string): CameraBar[] {
  const scale = scaleOf(s).bytes
  const clamp = (n: number) => Math.min(1, Math.max(0, n / scale))
  return s.cameras.map((c) => ({
    cameraId: c.cameraId,
    label: c.name ?? `Camera ${c.cameraId} (deleted)`,
    share: clamp(c.bytes),
    protectedShare: clamp(c.protectedBytes),
    caps: capsOf(c, bytes),
  }))
}

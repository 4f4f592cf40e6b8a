import { describe, expect, it } from 'vitest'
import type { StorageSummary } from '../../../../shared/contract'
import { cameraBars, scaleOf } from './storage-bars'

const summary = (over: Partial<StorageSummary> = {}): StorageSummary => ({
  cameras: [
    {
      cameraId: 1,
      name: 'Gate',
      retention: { minDays: 3, maxDays: 30, maxBytes: 2048 },
      bytes: 500,
      segments: 5,
      protectedBytes: 100,
      oldest: 0,
      newest: 10,
      daysCovered: 1,
      writeBytesPerSec: 0,
      state: 'recording',
      lastError: null,
    },
    {
      cameraId: 2,
      name: null,
      retention: { minDays: null, maxDays: null, maxBytes: null },
      bytes: 2000,
      segments: 1,
      protectedBytes: 0,
      oldest: 0,
      newest: 10,
      daysCovered: 1,
      writeBytesPerSec: 0,
      state: 'off',
      lastError: null,
    },
  ],
  totalBytes: 2500,
  protectedBytes: 100,
  quotaBytes: 1000,
  reservePercent: 5,
  volume: { totalBytes: 10_000, freeBytes: 5000, reserveBytes: 500 },
  lastRetention: null,
  problems: [],
  ...over,
})

describe('storage bars', () => {
  it('scale on the quota, clamped, with caps and deleted cameras named', () => {
    const bars = cameraBars(summary(), (n) => `${n} B`)
    expect(bars[0]).toEqual({
      cameraId: 1,
      label: 'Gate',
      share: 0.5,
      protectedShare: 0.1,
      caps: 'at least 3 d, at most 30 d, at most 2048 B',
    })
    expect(bars[1]).toMatchObject({ label: 'Camera 2 (deleted)', share: 1, caps: 'no per-camera limit' })
  })

  it('scale on the volume without a quota', () => {
    expect(scaleOf(summary({ quotaBytes: null }))).toEqual({ bytes: 10_000, label: 'of the volume' })
  })
})

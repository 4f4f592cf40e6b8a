/** Per-camera relay figures: rates over the last second, totals since start. */
import type { CameraChannel } from './camera-channel'
import { Viewer, type ViewerClass } from './viewers'
import type { CameraVideoStats } from './video-schemas'

export type { CameraVideoStats, VideoStats } from './video-schemas'

interface Snapshot {
  at: number
  framesIn: number
  bytesIn: number
  out: Record<ViewerClass, number>
  bytesOut: number
}

/** Turns counter deltas into per-second rates; sampled once a second. */
export class RateMeter {
  private prev = new Map<number, Snapshot>()
  private rates = new Map<
    number,
    { fpsIn: number; bytesIn: number; out: Record<ViewerClass, number>; bytesOut: number }
  >()

  sample(channels: Iterable<CameraChannel>, now: number): void {
    const seen = new Set<number>()
    for (const ch of channels) {
      seen.add(ch.id)
      const t = ch.totals
      const full = t.out.full
      const reduced = t.out.reduced
      const cur: Snapshot = {
        at: now,
        framesIn: t.framesIn,
        bytesIn: t.bytesIn,
        out: { full: full?.sent ?? 0, reduced: reduced?.sent ?? 0 },
        bytesOut: (full?.bytes ?? 0) + (reduced?.bytes ?? 0),
      }
      const p = this.prev.get(ch.id)
      if (p && now > p.at) {
        const s = (now - p.at) / 1000
        this.rates.set(ch.id, {
          fpsIn: (cur.framesIn - p.framesIn) / s,
          bytesIn: (cur.bytesIn - p.bytesIn) / s,
          out: { full: (cur.out.full - p.out.full) / s, reduced: (cur.out.reduced - p.out.reduced) / s },
          bytesOut: (cur.bytesOut - p.bytesOut) / s,
        })
      }
      this.prev.set(ch.id, cur)
    }
    for (const id of this.prev.keys()) {
      if (!seen.has(id)) {
        this.prev.delete(id)
        this.rates.delete(id)
      }
    }
  }

  cameraStats(ch: CameraChannel, now: number): CameraVideoStats {
    const r = this.rates.get(ch.id)
    const info = ch.sourceInfo()
    const viewers = { total: ch.viewerCount, full: 0, reduced: 0, mjpeg: 0, ws: 0, mp4: 0 }
    for (const { consumer: v } of ch.consumers()) {
      if (!(v instanceof Viewer)) continue
      viewers[v.cls]++
      viewers[v.transport]++
    }
    const t = ch.totals
    const full = t.out.full ?? { sent: 0, bytes: 0, skipped: 0 }
    const reduced = t.out.reduced ?? { sent: 0, bytes: 0, skipped: 0 }
    const round = (n: number) => Math.round(n * 10) / 10
    return {
      id: ch.id,
      name: ch.cam.name,
      kind: ch.kind,
      state: ch.state(),
      online: ch.online,
      stayConnected: ch.cam.stayConnected,
      lastError: info.lastError,
      nextRetryAt: info.nextRetryAt,
      reconnects: info.reconnects,
      connections: info.connections,
      lastFrameAt: ch.lastFrameWall,
      confirmedAt: ch.confirmedAt,
      lastFrameAgeMs: ch.lastUnitAt !== null ? Math.round(now - ch.lastUnitAt) : null,
      width: ch.dimensions?.width ?? null,
      height: ch.dimensions?.height ?? null,
      fpsIn: round(r?.fpsIn ?? 0),
      bytesInPerSec: Math.round(r?.bytesIn ?? 0),
      framesIn: t.framesIn,
      badFrames: t.badFrames,
      lastProblem: ch.lastProblem,
      viewers,
      streams: ch.streams().map((l) => ({ stream: l.stream, connected: l.monitoring, codec: l.codec })),
      fpsOut: {
        full: round(viewers.full ? (r?.out.full ?? 0) / viewers.full : 0),
        reduced: round(viewers.reduced ? (r?.out.reduced ?? 0) / viewers.reduced : 0),
      },
      bytesOutPerSec: Math.round(r?.bytesOut ?? 0),
      framesOut: full.sent + reduced.sent,
      framesSkipped: full.skipped + reduced.skipped,
      stalledViewersDropped: t.stalledViewersDropped,
      snapshotsServed: t.snapshotsServed,
    }
  }
}

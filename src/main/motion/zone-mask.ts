/**
 * Zones and masks (polygons in normalized coordinates) rasterized onto the detector's small gray frame:
 * one byte per pixel, 1 where motion counts. A pixel counts when its centre lies inside a zone (any pixel
 * when there is no zone) and inside no mask. Computed once per frame size and settings change.
 */
import type { MotionPolygon } from '../../shared/schemas/motion'

export { polygonArea } from '../../shared/motion-polygons'

export interface WatchMask {
  width: number
  height: number
  /** 1: watched, 0: not. */
  weights: Uint8Array
  /** Pixels watched (0 when the masks cover every zone). */
  watched: number
  /** Per watched pixel, bit z set when it lies in zone z (zones may overlap); all 0 without zones. */
  zoneBits: Uint16Array
  /** Watched pixels of each zone. */
  zoneWatched: number[]
}

/** Even-odd rule: is (x, y) inside the polygon? */
export function insidePolygon(poly: MotionPolygon, x: number, y: number): boolean {
  const pts = poly.points
  let inside = false
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const a = pts[i]!
    const b = pts[j]!
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside
  }
  return inside
}

export function watchMask(
  width: number,
  height: number,
  zones: readonly MotionPolygon[],
  masks: readonly MotionPolygon[],
): WatchMask {
  const weights = new Uint8Array(width * height)
  const zoneBits = new Uint16Array(width * height)
  const zoneWatched = zones.map(() => 0)
  let watched = 0
  for (let py = 0; py < height; py++) {
    const y = (py + 0.5) / height
    for (let px = 0; px < width; px++) {
      const x = (px + 0.5) / width
      let bits = 0
      zones.forEach((z, i) => {
        if (insidePolygon(z, x, y)) bits |= 1 << i
      })
      if ((zones.length > 0 && bits === 0) || masks.some((m) => insidePolygon(m, x, y))) continue
      weights[py * width + px] = 1
      zoneBits[py * width + px] = bits
      for (let i = 0; i < zones.length; i++) if (bits & (1 << i)) zoneWatched[i]!++
      watched++
    }
  }
  return { width, height, weights, watched, zoneBits, zoneWatched }
}

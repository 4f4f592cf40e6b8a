/** Geometry of motion zones and masks (normalized polygons), shared by the station and the zone editor. */
import type { MotionPolygon } from './schemas/motion'

/** A polygon smaller than this share of the picture is a slip of the mouse, not a zone. */
export const MIN_POLYGON_AREA = 0.0005

/** The polygon's area in normalized units (shoelace; 0 for a degenerate one). */
export function polygonArea(poly: MotionPolygon): number {
  const pts = poly.points
  let twice = 0
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    twice += (pts[j]!.x + pts[i]!.x) * (pts[j]!.y - pts[i]!.y)
  }
  return Math.abs(twice) / 2
}

/**
 * The motion editor's pure parts: the form's draft and the body it sends, and drawing polygons in
 * normalized picture coordinates (a click on the snapshot becomes a point 0..1).
 */
import type {
  MotionPoint,
  MotionPolygon,
  MotionSettings,
  MotionSettingsBody,
} from '../../../../shared/schemas/motion'
import { MIN_POLYGON_AREA, polygonArea } from '../../../../shared/motion-polygons'

export type PolygonKind = 'zones' | 'masks'

export interface MotionDraft {
  enabled: boolean
  sensitivity: number
  /** Percent of the watched area (the API takes a share: percent / 100). */
  minAreaPct: number
  fps: number
  zones: MotionPolygon[]
  masks: MotionPolygon[]
}

export const draftOf = (s: MotionSettings): MotionDraft => ({
  enabled: s.enabled,
  sensitivity: s.sensitivity,
  minAreaPct: Math.round(s.minArea * 1000) / 10,
  fps: s.fps,
  zones: s.zones,
  masks: s.masks,
})

export function validateMotion(d: MotionDraft): string | null {
  if (!Number.isInteger(d.sensitivity) || d.sensitivity < 1 || d.sensitivity > 100)
    return 'Sensitivity is 1 to 100'
  if (!(d.minAreaPct >= 0.1 && d.minAreaPct <= 100)) return 'The minimum area is 0.1 to 100 %'
  if (!Number.isInteger(d.fps) || d.fps < 1 || d.fps > 10) return 'Pictures per second: 1 to 10'
  return null
}

export const toMotionBody = (d: MotionDraft): MotionSettingsBody => ({
  enabled: d.enabled,
  sensitivity: d.sensitivity,
  minArea: Math.round(d.minAreaPct * 10) / 1000,
  fps: d.fps,
  zones: d.zones,
  masks: d.masks,
})

/** Names zone `i` (alarm rules can watch one zone by its name); an empty name removes it. */
export function renameZone(zones: readonly MotionPolygon[], i: number, name: string): MotionPolygon[] {
  return zones.map((z, j) => {
    if (j !== i) return z
    const { name: _old, ...rest } = z
    const trimmed = name.trim().slice(0, 40)
    return trimmed ? { ...rest, name: trimmed } : rest
  })
}

/** A click at (clientX, clientY) on an element's box, as a normalized point (4 decimals, clamped). */
export function pointAt(
  box: { left: number; top: number; width: number; height: number },
  clientX: number,
  clientY: number,
): MotionPoint {
  const n = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000
  return { x: n((clientX - box.left) / box.width), y: n((clientY - box.top) / box.height) }
}

/** The polygon the points being drawn make, or why they make none yet. */
export function closeDraft(points: readonly MotionPoint[]): { polygon: MotionPolygon } | { problem: string } {
  if (points.length < 3) return { problem: 'Click at least three corners' }
  const polygon = { points: [...points] }
  if (polygonArea(polygon) < MIN_POLYGON_AREA) return { problem: 'These corners enclose no area' }
  return { polygon }
}

/** SVG `points` for a polygon in the 0..1 viewBox. */
export const svgPoints = (points: readonly MotionPoint[]) => points.map((p) => `${p.x},${p.y}`).join(' ')

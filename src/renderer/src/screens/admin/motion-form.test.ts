import { describe, expect, it } from 'vitest'
import {
  closeDraft,
  draftOf,
  pointAt,
  renameZone,
  svgPoints,
  toMotionBody,
  validateMotion,
} from './motion-form'

describe('motion form', () => {
  const settings = {
    cameraId: 3,
    enabled: true,
    sensitivity: 60,
    minArea: 0.015,
    fps: 3,
    zones: [],
    masks: [],
    updatedAt: null,
  }

  it('shows the minimum area in percent and sends it back as a share', () => {
    const d = draftOf(settings)
    expect(d.minAreaPct).toBe(1.5)
    expect(toMotionBody(d)).toEqual({
      enabled: true,
      sensitivity: 60,
      minArea: 0.015,
      fps: 3,
      zones: [],
      masks: [],
    })
    expect(validateMotion(d)).toBeNull()
    expect(validateMotion({ ...d, sensitivity: 0 })).toMatch(/Sensitivity/)
    expect(validateMotion({ ...d, minAreaPct: 0 })).toMatch(/minimum area/)
    expect(validateMotion({ ...d, fps: 20 })).toMatch(/per second/)
  })

  it('turns clicks into normalized points and closes polygons with an area', () => {
    const box = { left: 100, top: 50, width: 400, height: 200 }
    expect(pointAt(box, 300, 150)).toEqual({ x: 0.5, y: 0.5 })
    expect(pointAt(box, 0, 400)).toEqual({ x: 0, y: 1 })
    const a = { x: 0, y: 0 }
    const b = { x: 0.5, y: 0 }
    expect(closeDraft([a, b])).toEqual({ problem: 'Click at least three corners' })
    expect(closeDraft([a, b, { x: 1, y: 0 }])).toEqual({ problem: 'These corners enclose no area' })
    expect(closeDraft([a, b, { x: 0.5, y: 0.5 }])).toEqual({
      polygon: { points: [a, b, { x: 0.5, y: 0.5 }] },
    })
    expect(svgPoints([a, b])).toBe('0,0 0.5,0')
  })

  it('names a zone for alarm rules, and an empty name removes it', () => {
    const z = {
      points: [
        { x: 0, y: 0 },
        { x: 1, y: 0 },
        { x: 1, y: 1 },
      ],
    }
    const named = renameZone([z, z], 1, '  Gate ')
    expect(named).toEqual([z, { ...z, name: 'Gate' }])
    expect(renameZone(named, 1, '')).toEqual([z, z])
  })
})

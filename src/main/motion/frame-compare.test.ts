/** The frame comparison on synthetic gray frames: noise, a moving square, light changes, zones and masks. */
import { describe, expect, it } from 'vitest'
import { FrameComparer, thresholdFor } from './frame-compare'
import { polygonArea, watchMask } from './zone-mask'
import type { MotionPolygon } from '../../shared/schemas/motion'

const W = 128
const H = 72

/** A deterministic pseudo-random generator (tests must not flake). */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Grey 64 with ±noise, a white square of `side` at (x, y), everything brightened by `light`. */
function frame(
  rand: () => number,
  opts: {
    square?: { x: number; y: number; side?: number; level?: number }
    noise?: number
    light?: number
  } = {},
) {
  const f = new Uint8Array(W * H)
  const noise = opts.noise ?? 4
  for (let i = 0; i < f.length; i++) f[i] = 64 + (opts.light ?? 0) + Math.round((rand() - 0.5) * 2 * noise)
  const sq = opts.square
  if (sq) {
    const side = sq.side ?? 12
    for (let y = sq.y; y < Math.min(H, sq.y + side); y++)
      for (let x = sq.x; x < Math.min(W, sq.x + side); x++) f[y * W + x] = sq.level ?? 250
  }
  return f
}

const rect = (x0: number, y0: number, x1: number, y1: number): MotionPolygon => ({
  points: [
    { x: x0, y: y0 },
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
  ],
})

/** Areas of `n` frames of a square sliding right along the middle of the picture. */
function movingAreas(c: FrameComparer, n: number, rand: () => number, extra = {}) {
  const areas: number[] = []
  for (let i = 0; i < n; i++)
    areas.push(c.compare(frame(rand, { square: { x: 4 + i * 8, y: 30 }, ...extra })))
  return areas
}

describe('FrameComparer', () => {
  it('reports nothing for a still picture with sensor noise', () => {
    const rand = rng(1)
    const c = new FrameComparer(watchMask(W, H, [], []), { sensitivity: 80 })
    const areas = Array.from({ length: 40 }, () => c.compare(frame(rand, { noise: 6 })))
    expect(Math.max(...areas)).toBeLessThan(0.001)
  })

  it('reports the share of the picture a moving square changes', () => {
    const rand = rng(2)
    const c = new FrameComparer(watchMask(W, H, [], []), { sensitivity: 50 })
    for (let i = 0; i < 5; i++) c.compare(frame(rand))
    const areas = movingAreas(c, 10, rand)
    // A 12x12 square is 1.6% of 128x72; with its trail a little more.
    expect(Math.min(...areas)).toBeGreaterThan(0.01)
    expect(Math.max(...areas)).toBeLessThan(0.06)
  })

  it('ignores a change of light over the whole picture', () => {
    const rand = rng(3)
    const c = new FrameComparer(watchMask(W, H, [], []), { sensitivity: 70 })
    for (let i = 0; i < 5; i++) c.compare(frame(rand))
    expect(c.compare(frame(rand, { light: 40 }))).toBeLessThan(0.001)
  })

  it('counts only inside the zones and outside the masks', () => {
    const rand = rng(4)
    // The square moves along y 30..42 of 72 (0.42..0.58).
    const top = new FrameComparer(watchMask(W, H, [rect(0, 0, 1, 0.35)], []), { sensitivity: 50 })
    const middle = new FrameComparer(watchMask(W, H, [rect(0, 0.3, 1, 0.7)], []), { sensitivity: 50 })
    const masked = new FrameComparer(watchMask(W, H, [], [rect(0, 0.35, 1, 0.65)]), { sensitivity: 50 })
    for (const c of [top, middle, masked]) for (let i = 0; i < 5; i++) c.compare(frame(rand))
    const seq = (c: FrameComparer) => movingAreas(c, 10, rng(5))
    expect(Math.max(...seq(top))).toBe(0)
    expect(Math.max(...seq(masked))).toBe(0)
    // The same square is a larger share of a smaller zone.
    expect(Math.min(...seq(middle))).toBeGreaterThan(0.03)
  })

  it('sees a faint change only at a high sensitivity', () => {
    const faint = { level: 64 + 25, side: 16 }
    const run = (sensitivity: number) => {
      const rand = rng(6)
      const c = new FrameComparer(watchMask(W, H, [], []), { sensitivity })
      for (let i = 0; i < 5; i++) c.compare(frame(rand, { noise: 2 }))
      return c.compare(frame(rand, { noise: 2, square: { x: 50, y: 20, ...faint } }))
    }
    expect(run(95)).toBeGreaterThan(0.01)
    expect(run(5)).toBe(0)
    expect(thresholdFor(1)).toBeCloseTo(50)
    expect(thresholdFor(100)).toBeCloseTo(5)
  })

  it('lets something that stopped fade into the background', () => {
    const rand = rng(7)
    const c = new FrameComparer(watchMask(W, H, [], []), { sensitivity: 50 })
    for (let i = 0; i < 5; i++) c.compare(frame(rand))
    const parked = { square: { x: 40, y: 20, side: 20 } }
    const areas = Array.from({ length: 200 }, () => c.compare(frame(rand, parked)))
    expect(areas[0]).toBeGreaterThan(0.02)
    expect(areas.at(-1)).toBe(0)
  })

  it('reports 0 when the masks cover every zone', () => {
    const mask = watchMask(W, H, [rect(0, 0, 0.5, 0.5)], [rect(0, 0, 1, 1)])
    expect(mask.watched).toBe(0)
    const rand = rng(8)
    const c = new FrameComparer(mask, { sensitivity: 50 })
    expect(movingAreas(c, 6, rand).every((a) => a === 0)).toBe(true)
  })
})

describe('watchMask', () => {
  it('rasterizes polygons at pixel centres and measures them', () => {
    const half = watchMask(10, 10, [rect(0, 0, 0.5, 1)], [])
    expect(half.watched).toBe(50)
    const triangle: MotionPolygon = {
      points: [
        { x: 0, y: 0 },
        { x: 1, y: 0 },
        { x: 0, y: 1 },
      ],
    }
    expect(polygonArea(triangle)).toBeCloseTo(0.5)
    expect(polygonArea(rect(0.2, 0.2, 0.2, 0.8))).toBe(0)
    const t = watchMask(20, 20, [triangle], [])
    expect(t.watched).toBeGreaterThan(180)
    expect(t.watched).toBeLessThan(220)
  })
})

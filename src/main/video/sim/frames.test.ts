/** The simulator's JPEG frames decode with an independent decoder (jpeg-js, bundled by playwright-core). */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { JpegEncoder } from './jpeg-encoder'
import { SimFrames } from './frames'
import { jpegDimensions, jpegProblem, readCaptureTime, readComment } from '../jpeg'

const require = createRequire(import.meta.url)
const { jpegjs } = require('playwright-core/lib/utilsBundle') as {
  jpegjs: {
    decode(b: Buffer, o: { useTArray: boolean }): { width: number; height: number; data: Uint8Array }
  }
}

describe('JpegEncoder', () => {
  it('encodes an image that decodes to the same pixels (within JPEG loss), with and without restarts', () => {
    const w = 48
    const h = 32
    const rgb = new Uint8Array(w * h * 3)
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) rgb.set([x * 5, y * 7, 128], (y * w + x) * 3)
    }
    for (const restartEveryRow of [false, true]) {
      const jpg = new JpegEncoder({ width: w, height: h, quality: 92, restartEveryRow }).encode(rgb)
      expect(jpegProblem(jpg)).toBeNull()
      const d = jpegjs.decode(jpg, { useTArray: true })
      expect([d.width, d.height]).toEqual([w, h])
      let maxErr = 0
      for (let i = 0; i < w * h; i++) {
        for (let c = 0; c < 3; c++) maxErr = Math.max(maxErr, Math.abs(d.data[i * 4 + c]! - rgb[i * 3 + c]!))
      }
      expect(maxErr).toBeLessThan(16)
    }
  })
})

describe('SimFrames', () => {
  const frames = new SimFrames({ loop: 3 })

  it('makes real 640x480 JPEGs of a realistic size, carrying their capture time', () => {
    const t = 1_700_000_000_123.456
    const f = frames.frame(7, t, 'CAM 7')
    expect(jpegProblem(f)).toBeNull()
    expect(jpegDimensions(f)).toEqual({ width: 640, height: 480 })
    expect(f.length).toBeGreaterThan(20_000)
    expect(f.length).toBeLessThan(80_000)
    expect(readCaptureTime(f)).toBeCloseTo(t, 3)
    expect(readComment(f)).toMatch(/seq=7 cam=CAM 7/)
    const d = jpegjs.decode(f, { useTArray: true })
    expect([d.width, d.height]).toEqual([640, 480])
    // The picture moves: frames of the loop differ beyond their header strip.
    const other = frames.frame(8, t + 40, 'CAM 7')
    expect(other.subarray(other.length - 10_000).equals(f.subarray(f.length - 10_000))).toBe(false)
  })
})

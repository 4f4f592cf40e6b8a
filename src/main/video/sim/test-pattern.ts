/**
 * The simulated cameras' picture: scrolling colour bars, a bouncing ball and a fixed sensor-noise texture
 * (so a frame compresses like a real 640x480 scene, about 30-60 KB), looping every `loop` frames.
 */

/** Deterministic pseudo-random numbers (mulberry32): every run draws the same texture. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const BARS: readonly (readonly [number, number, number])[] = [
  [192, 192, 192],
  [192, 192, 0],
  [0, 192, 192],
  [0, 192, 0],
  [192, 0, 192],
  [192, 0, 0],
  [0, 0, 192],
  [40, 40, 40],
]

export interface PatternOptions {
  width: number
  height: number
  /** Frames in one loop of the motion. */
  loop: number
  /** Noise amplitude (0-127): more noise, bigger frames. */
  noise: number
}

export class TestPattern {
  private readonly texture: Int8Array

  constructor(private readonly o: PatternOptions) {
    const rand = prng(0x5eed)
    this.texture = new Int8Array(o.width * o.height)
    for (let i = 0; i < this.texture.length; i++) this.texture[i] = Math.round((rand() * 2 - 1) * o.noise)
  }

  /** The RGB pixels (3 bytes each) of frame `index` of the loop. */
  render(index: number): Uint8Array {
    const { width: w, height: h, loop } = this.o
    const rgb = new Uint8Array(w * h * 3)
    const phase = (index % loop) / loop
    const barW = w / BARS.length
    const shift = Math.round(phase * w)
    const ballX = w / 2 + Math.cos(phase * 2 * Math.PI) * (w / 3)
    const ballY = h / 2 + Math.sin(phase * 4 * Math.PI) * (h / 4)
    const r2 = (h / 8) ** 2
    for (let y = 0; y < h; y++) {
      const shade = 0.6 + 0.4 * (y / h)
      for (let x = 0; x < w; x++) {
        const bar = BARS[Math.floor(((((x + shift + y / 4) % w) + w) % w) / barW) % BARS.length]!
        const n = this.texture[y * w + x]!
        const inBall = (x - ballX) ** 2 + (y - ballY) ** 2 < r2
        const i = (y * w + x) * 3
        rgb[i] = clamp(inBall ? 250 + n : bar[0] * shade + n)
        rgb[i + 1] = clamp(inBall ? 220 + n : bar[1] * shade + n)
        rgb[i + 2] = clamp(inBall ? 40 + n : bar[2] * shade + n)
      }
    }
    return rgb
  }
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v | 0
}

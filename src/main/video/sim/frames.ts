/**
 * Real JPEG frames for the simulated cameras, cheap enough to send hundreds a second.
 *
 * The picture loop is encoded once (restart marker after each row of 16 pixels); each frame then gets a
 * top strip (camera name, wall-clock time to the tenth of a second) spliced in front of the pre-encoded
 * rows, and a COM segment with its exact capture time and number for end-to-end latency. Only the strip
 * (1/30 of the picture) is ever encoded, at most ten times a second per camera.
 */
import { CAPTURE_COMMENT_PREFIX } from '../jpeg'
import { JpegEncoder, commentSegment } from './jpeg-encoder'
import { drawText } from './font'
import { TestPattern } from './test-pattern'

export interface SimFramesOptions {
  width?: number
  height?: number
  /** Frames in the motion loop (encoded up front). */
  loop?: number
  quality?: number
  noise?: number
}

const SOI = Buffer.from([0xff, 0xd8])
const EOI = Buffer.from([0xff, 0xd9])
const STRIP_ROWS = 16

export class SimFrames {
  readonly width: number
  readonly height: number
  private readonly encoder: JpegEncoder
  private readonly headers: Buffer
  private readonly bodies: Buffer[] = []
  private readonly strip: Uint8Array
  /** The last strip encoded per camera label (the clock shows tenths: most frames reuse it). */
  private readonly strips = new Map<string, { text: string; data: Buffer }>()

  constructor(opts: SimFramesOptions = {}) {
    this.width = opts.width ?? 640
    this.height = opts.height ?? 480
    if (this.width % 16 !== 0 || this.height % 16 !== 0 || this.height < 32) {
      throw new Error('simulated frames need a width and height that are multiples of 16 (height ≥ 32)')
    }
    const loop = opts.loop ?? 25
    this.encoder = new JpegEncoder({
      width: this.width,
      height: this.height,
      quality: opts.quality ?? 80,
      restartEveryRow: true,
    })
    this.headers = this.encoder.headers()
    const pattern = new TestPattern({ width: this.width, height: this.height, loop, noise: opts.noise ?? 18 })
    for (let i = 0; i < loop; i++) {
      const rgb = pattern.render(i)
      const rows = rgb.subarray(STRIP_ROWS * this.width * 3)
      this.bodies.push(this.encoder.encodeRows(rows, STRIP_ROWS, 1, this.encoder.mcuRows - 1))
    }
    this.strip = new Uint8Array(this.width * STRIP_ROWS * 3)
  }

  get loopLength(): number {
    return this.bodies.length
  }

  /**
   * Frame `seq` of a camera labelled `label`, captured at `captureMs` (ms since the epoch, fractional):
   * a complete JPEG whose COM segment reads `GSCAP t=<captureMs> seq=<seq> cam=<label>`.
   */
  frame(seq: number, captureMs: number, label: string): Buffer {
    const iso = new Date(captureMs).toISOString()
    const text = `${label.slice(0, 20)}  ${iso.slice(0, 10)} ${iso.slice(11, 21)}`
    let strip = this.strips.get(label)
    if (strip?.text !== text) {
      this.strip.fill(16)
      drawText(this.strip, this.width, 4, 1, text, 2, [240, 240, 240])
      strip = { text, data: this.encoder.encodeRows(this.strip, 0, 0, 1) }
      if (this.strips.size >= 1000) this.strips.clear()
      this.strips.set(label, strip)
    }
    const stripData = strip.data
    const com = commentSegment(
      Buffer.from(`${CAPTURE_COMMENT_PREFIX}t=${captureMs.toFixed(3)} seq=${seq} cam=${label}`, 'latin1'),
    )
    const body = this.bodies[seq % this.bodies.length]!
    return Buffer.concat([SOI, com, this.headers, stripData, body, EOI])
  }
}

let shared: SimFrames | undefined

/** One frame set per process (encoding the loop takes about a second). */
export function sharedSimFrames(): SimFrames {
  shared ??= new SimFrames()
  return shared
}

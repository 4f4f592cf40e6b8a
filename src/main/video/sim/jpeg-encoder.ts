/**
 * A small baseline JPEG encoder (YCbCr 4:2:0, the standard Annex K tables), written for the simulated
 * cameras so the product needs no image dependency. It is not on the station's hot path: the station
 * never re-encodes. Rows of MCUs can be encoded separately, with restart markers between them, so the
 * simulator can splice a freshly drawn timestamp strip onto pre-encoded picture rows.
 */

const ZIGZAG = [
  0, 1, 5, 6, 14, 15, 27, 28, 2, 4, 7, 13, 16, 26, 29, 42, 3, 8, 12, 17, 25, 30, 41, 43, 9, 11, 18, 24, 31,
  40, 44, 53, 10, 19, 23, 32, 39, 45, 52, 54, 20, 22, 33, 38, 46, 51, 55, 60, 21, 34, 37, 47, 50, 56, 59, 61,
  35, 36, 48, 49, 57, 58, 62, 63,
]

const STD_Q_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22,
  29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103,
  121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]
const STD_Q_CHROMA = [
  17,
  18,
  24,
  47,
  99,
  99,
  99,
  99,
  18,
  21,
  26,
  66,
  99,
  99,
  99,
  99,
  24,
  26,
  56,
  99,
  99,
  99,
  99,
  99,
  47,
  66,
  99,
  99,
  99,
  99,
  99,
  99,
  ...new Array<number>(32).fill(99),
]

const DC_LUMA_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
const DC_CHROMA_BITS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
const AC_LUMA_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d]
// prettier-ignore
const AC_LUMA_VALUES = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
  0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
  0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
  0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
  0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
  0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
  0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
  0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
  0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
  0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
]
const AC_CHROMA_BITS = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77]
// prettier-ignore
const AC_CHROMA_VALUES = [
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
  0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
  0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
  0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
  0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
  0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
  0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
  0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
  0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
  0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
]

const AASF = [1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.5411961, 0.275899379]

/** Huffman code (value → [code, length]) from the BITS/VALUES form of a table. */
function huffmanCodes(bits: readonly number[], values: readonly number[]): Int32Array {
  const out = new Int32Array(256 * 2)
  let code = 0
  let k = 0
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]!; i++) {
      const v = values[k++]!
      out[v * 2] = code
      out[v * 2 + 1] = len
      code++
    }
    code <<= 1
  }
  return out
}

const HT_DC_LUMA = huffmanCodes(DC_LUMA_BITS, DC_VALUES)
const HT_DC_CHROMA = huffmanCodes(DC_CHROMA_BITS, DC_VALUES)
const HT_AC_LUMA = huffmanCodes(AC_LUMA_BITS, AC_LUMA_VALUES)
const HT_AC_CHROMA = huffmanCodes(AC_CHROMA_BITS, AC_CHROMA_VALUES)

function scaledTable(base: readonly number[], quality: number): number[] {
  const q = Math.min(100, Math.max(1, Math.round(quality)))
  const sf = q < 50 ? Math.floor(5000 / q) : Math.floor(200 - q * 2)
  return base.map((v) => Math.min(255, Math.max(1, Math.floor((v * sf + 50) / 100))))
}

function divisors(table: readonly number[]): Float64Array {
  const out = new Float64Array(64)
  for (let row = 0; row < 8; row++) {
    for (let col = 0; col < 8; col++) {
      out[row * 8 + col] = 1 / (table[row * 8 + col]! * AASF[row]! * AASF[col]! * 8)
    }
  }
  return out
}

/** Appends bits MSB first, stuffing a 0x00 after every 0xFF byte of entropy-coded data. */
class BitWriter {
  private buf: Buffer
  private len = 0
  private acc = 0
  private nbits = 0

  constructor(initial: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, initial))
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return
    const bigger = Buffer.allocUnsafe(this.buf.length * 2)
    this.buf.copy(bigger, 0, 0, this.len)
    this.buf = bigger
  }

  private byte(b: number): void {
    this.ensure(2)
    this.buf[this.len++] = b
    if (b === 0xff) this.buf[this.len++] = 0
  }

  /** Writes the low `count` (≤ 16) bits of `value`. */
  bits(value: number, count: number): void {
    this.acc = (this.acc << count) | (value & ((1 << count) - 1))
    this.nbits += count
    while (this.nbits >= 8) {
      this.nbits -= 8
      this.byte((this.acc >> this.nbits) & 0xff)
    }
    this.acc &= (1 << this.nbits) - 1
  }

  /** Pads the last byte with 1 bits (as the standard asks before a marker). */
  align(): void {
    if (this.nbits > 0) this.bits((1 << (8 - this.nbits)) - 1, 8 - this.nbits)
  }

  marker(code: number): void {
    this.ensure(2)
    this.buf[this.len++] = 0xff
    this.buf[this.len++] = code
  }

  result(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len))
  }
}

export interface EncoderOptions {
  width: number
  height: number
  quality?: number
  /** Put a restart marker after every row of MCUs (needed to splice rows encoded separately). */
  restartEveryRow?: boolean
}

export class JpegEncoder {
  readonly width: number
  readonly height: number
  readonly mcuCols: number
  readonly mcuRows: number
  private readonly restart: boolean
  private readonly qLuma: number[]
  private readonly qChroma: number[]
  private readonly fdLuma: Float64Array
  private readonly fdChroma: Float64Array
  private readonly block = new Float64Array(64)
  private readonly quant = new Int32Array(64)
  private readonly yPlane = new Float64Array(256)
  private readonly cbPlane = new Float64Array(64)
  private readonly crPlane = new Float64Array(64)

  constructor(opts: EncoderOptions) {
    this.width = opts.width
    this.height = opts.height
    this.mcuCols = Math.ceil(opts.width / 16)
    this.mcuRows = Math.ceil(opts.height / 16)
    this.restart = opts.restartEveryRow ?? false
    const quality = opts.quality ?? 75
    this.qLuma = scaledTable(STD_Q_LUMA, quality)
    this.qChroma = scaledTable(STD_Q_CHROMA, quality)
    this.fdLuma = divisors(this.qLuma)
    this.fdChroma = divisors(this.qChroma)
  }

  /** Every marker segment from after SOI up to and including the SOS header. */
  headers(): Buffer {
    const parts: number[] = []
    const seg = (marker: number, body: number[]) =>
      parts.push(0xff, marker, ((body.length + 2) >> 8) & 0xff, (body.length + 2) & 0xff, ...body)
    // APP0 JFIF 1.01, no thumbnail.
    seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
    const dqt = (id: number, table: number[]) => {
      const zz = new Array<number>(64)
      for (let i = 0; i < 64; i++) zz[ZIGZAG[i]!] = table[i]!
      return [id, ...zz]
    }
    seg(0xdb, [...dqt(0, this.qLuma), ...dqt(1, this.qChroma)])
    const w = this.width
    const h = this.height
    seg(0xc0, [8, h >> 8, h & 0xff, w >> 8, w & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])
    const dht = (cls: number, bits: number[], values: number[]) => [cls, ...bits, ...values]
    seg(0xc4, [
      ...dht(0x00, DC_LUMA_BITS, DC_VALUES),
      ...dht(0x10, AC_LUMA_BITS, AC_LUMA_VALUES),
      ...dht(0x01, DC_CHROMA_BITS, DC_VALUES),
      ...dht(0x11, AC_CHROMA_BITS, AC_CHROMA_VALUES),
    ])
    if (this.restart) seg(0xdd, [this.mcuCols >> 8, this.mcuCols & 0xff])
    seg(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0])
    return Buffer.from(parts)
  }

  /** A complete JPEG file of an RGB image (3 bytes a pixel, rows top to bottom). */
  encode(rgb: Uint8Array, comment?: Buffer): Buffer {
    const com = comment ? commentSegment(comment) : Buffer.alloc(0)
    return Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      com,
      this.headers(),
      this.encodeRows(rgb, 0, 0, this.mcuRows),
      Buffer.from([0xff, 0xd9]),
    ])
  }

  /**
   * Entropy-coded data of MCU rows [firstRow, firstRow + count). `rgb` holds pixel rows starting at pixel
   * row `rgbTopRow`. With restarts, each MCU row but the image's last ends with its RSTn marker.
   */
  encodeRows(rgb: Uint8Array, rgbTopRow: number, firstRow: number, count: number): Buffer {
    const bw = new BitWriter(count * this.mcuCols * 256)
    const dc = [0, 0, 0]
    for (let my = firstRow; my < firstRow + count; my++) {
      for (let mx = 0; mx < this.mcuCols; mx++) {
        this.loadMcu(rgb, rgbTopRow, mx * 16, my * 16)
        for (let b = 0; b < 4; b++) {
          const ox = (b & 1) * 8
          const oy = (b >> 1) * 8
          for (let y = 0; y < 8; y++) {
            for (let x = 0; x < 8; x++) this.block[y * 8 + x] = this.yPlane[(oy + y) * 16 + ox + x]!
          }
          dc[0] = this.encodeBlock(bw, this.block, this.fdLuma, dc[0]!, HT_DC_LUMA, HT_AC_LUMA)
        }
        this.block.set(this.cbPlane)
        dc[1] = this.encodeBlock(bw, this.block, this.fdChroma, dc[1]!, HT_DC_CHROMA, HT_AC_CHROMA)
        this.block.set(this.crPlane)
        dc[2] = this.encodeBlock(bw, this.block, this.fdChroma, dc[2]!, HT_DC_CHROMA, HT_AC_CHROMA)
      }
      if (this.restart && my < this.mcuRows - 1) {
        bw.align()
        bw.marker(0xd0 + (my % 8))
        dc[0] = dc[1] = dc[2] = 0
      }
    }
    bw.align()
    return bw.result()
  }

  private loadMcu(rgb: Uint8Array, rgbTopRow: number, px: number, py: number): void {
    this.cbPlane.fill(0)
    this.crPlane.fill(0)
    const rows = Math.floor(rgb.length / (this.width * 3))
    for (let y = 0; y < 16; y++) {
      const sy = Math.min(Math.min(py + y, this.height - 1) - rgbTopRow, rows - 1)
      for (let x = 0; x < 16; x++) {
        const sx = Math.min(px + x, this.width - 1)
        const i = (Math.max(0, sy) * this.width + sx) * 3
        const r = rgb[i]!
        const g = rgb[i + 1]!
        const b = rgb[i + 2]!
        this.yPlane[y * 16 + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128
        const c = (y >> 1) * 8 + (x >> 1)
        this.cbPlane[c] = this.cbPlane[c]! + (-0.168736 * r - 0.331264 * g + 0.5 * b) / 4
        this.crPlane[c] = this.crPlane[c]! + (0.5 * r - 0.418688 * g - 0.081312 * b) / 4
      }
    }
  }

  /** Forward DCT (AAN), quantization, and Huffman coding of one 8x8 block; returns its DC value. */
  private encodeBlock(
    bw: BitWriter,
    d: Float64Array,
    fd: Float64Array,
    prevDc: number,
    htDc: Int32Array,
    htAc: Int32Array,
  ): number {
    for (let pass = 0; pass < 2; pass++) {
      const step = pass === 0 ? 1 : 8
      const stride = pass === 0 ? 8 : 1
      for (let i = 0; i < 8; i++) {
        const o = i * stride
        const d0 = d[o]!
        const d1 = d[o + step]!
        const d2 = d[o + 2 * step]!
        const d3 = d[o + 3 * step]!
        const d4 = d[o + 4 * step]!
        const d5 = d[o + 5 * step]!
        const d6 = d[o + 6 * step]!
        const d7 = d[o + 7 * step]!
        const t0 = d0 + d7
        const t7 = d0 - d7
        const t1 = d1 + d6
        const t6 = d1 - d6
        const t2 = d2 + d5
        const t5 = d2 - d5
        const t3 = d3 + d4
        const t4 = d3 - d4
        let t10 = t0 + t3
        const t13 = t0 - t3
        let t11 = t1 + t2
        let t12 = t1 - t2
        d[o] = t10 + t11
        d[o + 4 * step] = t10 - t11
        const z1 = (t12 + t13) * 0.707106781
        d[o + 2 * step] = t13 + z1
        d[o + 6 * step] = t13 - z1
        t10 = t4 + t5
        t11 = t5 + t6
        t12 = t6 + t7
        const z5 = (t10 - t12) * 0.382683433
        const z2 = 0.5411961 * t10 + z5
        const z4 = 1.306562965 * t12 + z5
        const z3 = t11 * 0.707106781
        const z11 = t7 + z3
        const z13 = t7 - z3
        d[o + 5 * step] = z13 + z2
        d[o + 3 * step] = z13 - z2
        d[o + step] = z11 + z4
        d[o + 7 * step] = z11 - z4
      }
    }
    const q = this.quant
    for (let i = 0; i < 64; i++) {
      const v = d[i]! * fd[i]!
      q[ZIGZAG[i]!] = v > 0 ? (v + 0.5) | 0 : (v - 0.5) | 0
    }
    // DC: the difference to the previous block of the same component.
    const diff = q[0]! - prevDc
    const dcCat = bitLength(diff)
    bw.bits(htDc[dcCat * 2]!, htDc[dcCat * 2 + 1]!)
    if (dcCat > 0) bw.bits(diff < 0 ? diff + (1 << dcCat) - 1 : diff, dcCat)
    // AC: run-length of zeros, ZRL for runs of 16, EOB after the last non-zero coefficient.
    let last = 63
    while (last > 0 && q[last] === 0) last--
    let run = 0
    for (let i = 1; i <= last; i++) {
      const v = q[i]!
      if (v === 0) {
        run++
        continue
      }
      while (run >= 16) {
        bw.bits(htAc[0xf0 * 2]!, htAc[0xf0 * 2 + 1]!)
        run -= 16
      }
      const cat = bitLength(v)
      const sym = (run << 4) | cat
      bw.bits(htAc[sym * 2]!, htAc[sym * 2 + 1]!)
      bw.bits(v < 0 ? v + (1 << cat) - 1 : v, cat)
      run = 0
    }
    if (last < 63) bw.bits(htAc[0]!, htAc[1]!)
    return q[0]!
  }
}

function bitLength(v: number): number {
  let a = v < 0 ? -v : v
  let n = 0
  while (a > 0) {
    n++
    a >>= 1
  }
  return n
}

/** A COM (comment) marker segment holding `text` (at most 65,533 bytes). */
export function commentSegment(text: Buffer): Buffer {
  const len = text.length + 2
  if (len > 0xffff) throw new Error('JPEG comment too long')
  return Buffer.concat([Buffer.from([0xff, 0xfe, len >> 8, len & 0xff]), text])
}

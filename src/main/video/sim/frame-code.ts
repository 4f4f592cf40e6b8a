/**
 * A frame number burnt into a test video as black and white squares, large enough to survive compression,
 * so a viewer can tell which frame of the file it shows (the benchmark's glass-to-glass latency: the
 * simulated camera's emission time of that frame against the time the browser displays it). Top left, on a
 * black band: `FRAME_CODE_BITS` cells in a row, most significant bit first, white for 1; the row below holds
 * the complement, so each bit is read by comparing two cells and a misread (a blend of two frames, a
 * smeared block) shows as cells of equal brightness. Pure TypeScript: the encoder's filter (ffmpeg) and
 * the reader (a browser page) share it.
 */

/** Enough for 40 s of video at 25 fps before the code wraps (the test videos loop after 10 s). */
export const FRAME_CODE_BITS = 10

export interface FrameCodeLayout {
  /** Side of one cell, pixels. */
  cell: number
  /** Top left of the first cell of the first row. */
  x: number
  y: number
  bits: number
}

/** Where the code sits in a picture of this size (cells about 1/20 of the height, at least 16 px). */
export function frameCodeLayout(width: number, height: number): FrameCodeLayout {
  const cell = Math.max(16, Math.round(height / 20 / 2) * 2)
  if ((FRAME_CODE_BITS + 2) * cell > width) throw new Error(`a ${width} px wide picture cannot hold the code`)
  return { cell, x: cell, y: cell, bits: FRAME_CODE_BITS }
}

/** The ffmpeg filter chain (`-vf`) that draws frame n's code over the input, frame by frame. */
export function frameCodeFilter(width: number, height: number): string {
  const { cell, x, y, bits } = frameCodeLayout(width, height)
  const m = cell / 2
  const boxes = [`drawbox=x=${x - m}:y=${y - m}:w=${bits * cell + cell}:h=${3 * cell}:color=black:t=fill`]
  for (let i = 0; i < bits; i++) {
    const bit = `mod(floor(n/${2 ** (bits - 1 - i)}),2)`
    const at = (row: number) => `x=${x + i * cell}:y=${y + row * cell}:w=${cell}:h=${cell}:color=white:t=fill`
    boxes.push(`drawbox=${at(0)}:enable='eq(${bit},1)'`, `drawbox=${at(1)}:enable='eq(${bit},0)'`)
  }
  return boxes.join(',')
}

/** The region to read back: the code's two rows (x, y, width, height in the picture). */
export function frameCodeRegion(l: FrameCodeLayout): { x: number; y: number; width: number; height: number } {
  return { x: l.x, y: l.y, width: l.bits * l.cell, height: 2 * l.cell }
}

/**
 * Reads the code from RGBA pixels of `frameCodeRegion` (as `getImageData` returns them): the frame number,
 * or null when any bit's two cells differ by less than `minContrast` (0-255 luma).
 */
export function readFrameCode(rgba: ArrayLike<number>, l: FrameCodeLayout, minContrast = 64): number | null {
  const stride = l.bits * l.cell
  // The middle third of a cell: away from the blocking and ringing at its edges.
  const from = Math.floor(l.cell / 3)
  const to = Math.ceil((2 * l.cell) / 3)
  const luma = (col: number, row: number) => {
    let sum = 0
    let n = 0
    for (let yy = row * l.cell + from; yy < row * l.cell + to; yy += 2) {
      for (let xx = col * l.cell + from; xx < col * l.cell + to; xx += 2) {
        const p = (yy * stride + xx) * 4
        sum += 0.299 * rgba[p]! + 0.587 * rgba[p + 1]! + 0.114 * rgba[p + 2]!
        n++
      }
    }
    return sum / n
  }
  let value = 0
  for (let i = 0; i < l.bits; i++) {
    const one = luma(i, 0)
    const zero = luma(i, 1)
    if (Math.abs(one - zero) < minContrast) return null
    value = value * 2 + (one > zero ? 1 : 0)
  }
  return value
}

import { describe, expect, it } from 'vitest'
import { MultipartJpegParser, boundaryOf } from './multipart-parser'
import { testFrame } from './test-support'

function parse(chunks: Buffer[], boundary = 'frame', max = 1024 * 1024) {
  const frames: Buffer[] = []
  const problems: string[] = []
  const p = new MultipartJpegParser(boundary, max, {
    frame: (f) => frames.push(f),
    problem: (m) => problems.push(m),
  })
  for (const c of chunks) p.push(c)
  return { frames, problems, garbage: p.garbageBytes }
}

const part = (f: Buffer, opts: { length?: boolean; b?: string; lf?: boolean } = {}) => {
  const nl = opts.lf ? '\n' : '\r\n'
  const len = opts.length === false ? '' : `Content-Length: ${f.length}${nl}`
  return Buffer.concat([
    Buffer.from(`--${opts.b ?? 'frame'}${nl}Content-Type: image/jpeg${nl}${len}${nl}`),
    f,
    Buffer.from(nl),
  ])
}

/** Splits a buffer into chunks of the given size. */
const split = (b: Buffer, n: number) =>
  Array.from({ length: Math.ceil(b.length / n) }, (_, i) => b.subarray(i * n, i * n + n))

describe('boundaryOf', () => {
  it('reads quoted and bare boundaries', () => {
    expect(boundaryOf('multipart/x-mixed-replace; boundary=abc')).toBe('abc')
    expect(boundaryOf('multipart/x-mixed-replace;boundary="--my b"')).toBe('--my b')
    expect(boundaryOf('multipart/x-mixed-replace')).toBeUndefined()
    expect(boundaryOf(undefined)).toBeUndefined()
  })
})

describe('MultipartJpegParser', () => {
  const frames = [testFrame(1, 3000), testFrame(2, 500), testFrame(3, 7000)]

  it('extracts every part byte for byte, whatever the chunking, with or without Content-Length', () => {
    for (const length of [true, false]) {
      const stream = Buffer.concat(frames.map((f) => part(f, { length })))
      for (const size of [1, 2, 7, 64, 1000, stream.length]) {
        const r = parse(split(stream, size))
        // Without Content-Length the last part ends only when the next delimiter comes.
        const expected = length ? frames : frames.slice(0, 2)
        expect(
          r.frames.map((f) => f.toString('hex')),
          `length=${length} chunk=${size}`,
        ).toEqual(expected.map((f) => f.toString('hex')))
        expect(r.problems).toEqual([])
      }
    }
  })

  it('accepts LF-only line ends and a boundary already carrying its dashes', () => {
    const stream = Buffer.concat(frames.map((f) => part(f, { lf: true, b: '--xx' })))
    expect(parse([stream], '--xx').frames).toHaveLength(3)
    const plain = Buffer.concat(frames.map((f) => part(f, { b: 'yy' })))
    expect(parse([plain], 'yy').frames).toHaveLength(3)
  })

  it('skips garbage between parts and before the first', () => {
    const junk = Buffer.from('HTTP junk \x00\x01\x02 more junk')
    const stream = Buffer.concat([junk, part(frames[0]!), junk, part(frames[1]!), part(frames[2]!)])
    const r = parse(split(stream, 13))
    expect(r.frames).toHaveLength(3)
    expect(r.garbage).toBeGreaterThanOrEqual(junk.length * 2 - 4)
  })

  it('reports parts that are not JPEGs and goes on', () => {
    const stream = Buffer.concat([
      part(Buffer.from('<html>not an image</html>'.repeat(10))),
      part(frames[0]!),
      part(frames[1]!),
    ])
    const r = parse([stream])
    expect(r.frames).toHaveLength(2)
    expect(r.problems[0]).toMatch(/not a JPEG/)
  })

  it('skips oversized parts without buffering them, with and without Content-Length', () => {
    const big = testFrame(9, 50_000)
    const withLen = Buffer.concat([part(big), part(frames[0]!), part(frames[1]!)])
    const r1 = parse(split(withLen, 4096), 'frame', 10_000)
    expect(r1.frames.map((f) => f.length)).toEqual([frames[0]!.length, frames[1]!.length])
    expect(r1.problems[0]).toMatch(/over the 10000-byte limit/)
    const noLen = Buffer.concat([
      part(big, { length: false }),
      part(frames[0]!, { length: false }),
      part(frames[1]!),
    ])
    const r2 = parse(split(noLen, 4096), 'frame', 10_000)
    expect(r2.problems[0]).toMatch(/over the 10000-byte limit/)
    expect(r2.frames.length).toBeGreaterThanOrEqual(1)
  })

  it('stays bounded on an endless stream without a boundary', () => {
    const p = new MultipartJpegParser('frame', 10_000, { frame: () => {}, problem: () => {} })
    const noise = Buffer.alloc(64 * 1024, 0x41)
    for (let i = 0; i < 200; i++) p.push(noise)
    expect(p.garbageBytes).toBeGreaterThan(12 * 1024 * 1024)
    expect((p as unknown as { buf: Buffer }).buf.length).toBeLessThan(100)
  })
})

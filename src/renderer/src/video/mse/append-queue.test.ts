import { describe, expect, it } from 'vitest'
import { AppendQueue, type Segment } from './append-queue'

let n = 0
const frag = (keyframe: boolean, bytes = 100): Segment & { n: number } => ({
  n: n++,
  kind: 'fragment',
  bytes: new Uint8Array(bytes),
  keyframe,
  samples: 1,
  startS: null,
  durationS: 0.04,
})
const init = (): Segment => ({
  kind: 'init',
  bytes: new Uint8Array(10),
  keyframe: false,
  samples: 0,
  startS: null,
  durationS: 0,
})
const K = () => frag(true)
const P = () => frag(false)

function drain(q: AppendQueue): Segment[] {
  const out: Segment[] = []
  for (let s = q.shift(); s; s = q.shift()) out.push(s)
  return out
}

describe('AppendQueue', () => {
  it('refuses fragments until the first keyframe, then queues in order', () => {
    const q = new AppendQueue()
    const i = init()
    expect(q.push(i)).toBe(true)
    expect(q.push(P())).toBe(false)
    const k = K()
    const p = P()
    expect(q.push(k)).toBe(true)
    expect(q.push(p)).toBe(true)
    expect(drain(q)).toEqual([i, k, p])
    expect(q.dropped).toEqual({ fragments: 1, frames: 1, bytes: 100 })
  })

  it('past the bound, skips to the newest queued keyframe', () => {
    const q = new AppendQueue({ maxItems: 5 })
    const first = [K(), P(), P(), K(), P()]
    for (const s of first) q.push(s)
    expect(q.length).toBe(5)
    const last = P()
    q.push(last)
    // K P P dropped; playback resumes at the second keyframe.
    expect(drain(q)).toEqual([first[3], first[4], last])
    expect(q.dropped.fragments).toBe(3)
    expect(q.waitingForKeyframe).toBe(false)
  })

  it('with no keyframe past the front, drops everything and waits for the next keyframe', () => {
    const q = new AppendQueue({ maxItems: 3 })
    for (const s of [K(), P(), P(), P()]) q.push(s)
    expect(q.length).toBe(0)
    expect(q.waitingForKeyframe).toBe(true)
    expect(q.push(P())).toBe(false)
    const k = K()
    expect(q.push(k)).toBe(true)
    expect(drain(q)).toEqual([k])
    expect(q.dropped.fragments).toBe(5)
  })

  it('keeps the newest init segment when it drops what surrounds it', () => {
    const q = new AppendQueue({ maxItems: 4 })
    const i1 = init()
    const i2 = init()
    q.push(i1)
    q.push(K())
    q.push(P())
    q.push(i2)
    // After an init a keyframe must come: the P is refused, the keyframe goes past the bound.
    expect(q.push(P())).toBe(false)
    const k = K()
    q.push(k)
    expect(drain(q)).toEqual([i2, k])
  })

  it('bounds bytes too', () => {
    const q = new AppendQueue({ maxItems: 100, maxBytes: 1000 })
    const big = [frag(true, 400), frag(false, 400), frag(true, 400), frag(false, 100)]
    for (const s of big) q.push(s)
    expect(drain(q)).toEqual([big[2], big[3]])
  })

  it('a single GOP over the bound is dropped whole', () => {
    const q = new AppendQueue({ maxItems: 100, maxBytes: 1000 })
    q.push(frag(true, 100))
    q.push(frag(true, 1200))
    expect(q.length).toBe(0)
    expect(q.waitingForKeyframe).toBe(true)
  })

  it('puts a segment that did not fit back at the front', () => {
    const q = new AppendQueue()
    const a = K()
    const b = P()
    q.push(a)
    q.push(b)
    const s = q.shift()!
    expect(q.byteLength).toBe(100)
    q.unshift(s)
    expect(q.byteLength).toBe(200)
    expect(drain(q)).toEqual([a, b])
  })
})

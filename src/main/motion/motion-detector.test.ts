/** The detector against a fake channel: it attaches bounded, and moves to key frames only when it keeps falling behind. */
import { describe, expect, it } from 'vitest'
import type { ChannelAttachOptions } from '../video/camera-channel'
import type { Consumer } from '../video/pipeline/consumer'
import type { InitSegment } from '../video/pipeline/units'
import { MOTION_DEFAULTS } from '../../shared/schemas/motion'
import { MotionDetector } from './motion-detector'

function fakeChannel() {
  const attaches: ChannelAttachOptions[] = []
  let attached: Consumer | undefined
  const ch = {
    skipped: 0,
    attaches,
    attach(c: Consumer, opts: ChannelAttachOptions = {}) {
      attaches.push(opts)
      attached = c
      ch.skipped = 0
      return () => {
        attached = undefined
      }
    },
    consumers: () => (attached ? [{ consumer: attached, skipped: ch.skipped }] : []),
  }
  return ch
}

const init: InitSegment = {
  kind: 'init',
  codec: 'h264',
  codecString: 'avc1.640028',
  data: Buffer.from('ftyp+moov'),
  timescale: 90_000,
  width: 640,
  height: 360,
}

const detector = (channel: ReturnType<typeof fakeChannel>, keyframes?: 'auto' | 'never') =>
  new MotionDetector({
    cameraId: 1,
    channel,
    ffmpegPath: 'ffmpeg',
    settings: { ...MOTION_DEFAULTS },
    ...(keyframes ? { keyframes } : {}),
    log: { warn: () => {}, info: () => {} },
    motion: () => {},
    ended: () => {},
  })

describe('MotionDetector', () => {
  it('attaches to the sub stream with a small queue, and moves to key frames only when it keeps falling behind', async () => {
    const ch = fakeChannel()
    const d = detector(ch)
    d.start()
    expect(ch.attaches[0]).toMatchObject({ stream: 'sub', needs: 'live', maxQueueUnits: 50 })
    d.deliver(init, () => {})
    // Falling behind once or twice is not overload.
    for (let i = 0; i < 2; i++) {
      ch.skipped += 10
      d.tick()
    }
    d.tick()
    await Promise.resolve()
    expect(ch.attaches).toHaveLength(1)
    ch.skipped += 10
    d.tick()
    await Promise.resolve()
    expect(ch.attaches).toHaveLength(2)
    expect(ch.attaches[1]).toMatchObject({ stream: 'sub', needs: 'keyframes' })
    expect(d.stats()).toMatchObject({ mode: 'keyframes', lastError: expect.stringMatching(/keep up/) })
    await d.stop()
  })

  it('stays on every frame when told to', async () => {
    const ch = fakeChannel()
    const d = detector(ch, 'never')
    d.start()
    d.deliver(init, () => {})
    for (let i = 0; i < 5; i++) {
      ch.skipped += 10
      d.tick()
    }
    await Promise.resolve()
    expect(ch.attaches).toHaveLength(1)
    expect(d.stats().mode).toBe('all-frames')
    await d.stop()
  })
})

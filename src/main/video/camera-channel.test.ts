/**
 * The channel as a pipeline, with a fake video source (synthetic fMP4 units with key frame flags: no
 * camera, no ffmpeg) and test consumers that take their units at once or only when told: late joiners
 * start at the latest key frame, slow consumers skip to the next one without holding anyone back, memory
 * stays bounded, consumers keep a pull source connected (then it lingers), JPEG keeps the latest frame.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { CameraChannel, type PipelineLimits } from './camera-channel'
import type { RelayCamera } from '../cameras/views'
import { loadVideoConfig } from './video-config'
import { SourceRegistry } from './sources/registry'
import { builtInSources } from './sources'
import type { CameraSource, SourceInfo, SourceSink } from './sources/source'
import type { AttachOptions, Consumer, ConsumerRole } from './pipeline/consumer'
import type { InitSegment, MediaItem, VideoUnit } from './pipeline/units'
import { testFrame, waitFor } from './test-support'
import type { StreamStatusMessage } from '../../shared/schemas/video'

const config = loadVideoConfig({ STATION_VIDEO_IDLE_LINGER_MS: '40', STATION_VIDEO_VIEWER_STALL_MS: '1000' })
const hooks = { onlineChanged: () => {}, delivered: () => {} }

class FakeVideoSource implements CameraSource {
  readonly kind = 'rtsp' as const
  readonly media = 'video' as const
  readonly pull = true
  running = false
  starts = 0
  stops = 0
  constructor(readonly sink: SourceSink) {}
  start(): void {
    this.running = true
    this.starts++
  }
  stop(): void {
    this.running = false
    this.stops++
  }
  info(): SourceInfo {
    const on = this.running
    return {
      status: on ? 'connected' : 'stopped',
      lastError: null,
      nextRetryAt: null,
      reconnects: 0,
      connections: on ? 1 : 0,
    }
  }
}

/** Takes items at once (`auto`), or holds each until `release()`: a slow consumer. */
class TestConsumer implements Consumer {
  readonly items: MediaItem[] = []
  readonly statuses: StreamStatusMessage[] = []
  private readonly pending: (() => void)[] = []
  ended: string | undefined
  constructor(
    private auto = true,
    readonly role: ConsumerRole = 'recorder',
  ) {}
  deliver(item: MediaItem, done: () => void): void {
    this.items.push(item)
    if (this.auto) done()
    else this.pending.push(done)
  }
  status(msg: StreamStatusMessage): void {
    this.statuses.push(msg)
  }
  end(reason: string): void {
    this.ended = reason
  }
  /** Takes what is in flight, and everything after it from now on. */
  catchUp(): void {
    this.auto = true
    while (this.pending.length > 0) this.pending.shift()!()
  }
  get units(): VideoUnit[] {
    return this.items.filter((i): i is VideoUnit => i.kind === 'video')
  }
  get inits(): InitSegment[] {
    return this.items.filter((i): i is InitSegment => i.kind === 'init')
  }
}

const channels: CameraChannel[] = []
afterEach(() => {
  for (const ch of channels.splice(0)) ch.close('test over')
})

function videoChannel(limits: Partial<PipelineLimits> = {}, cam: Partial<RelayCamera> = {}) {
  let source: FakeVideoSource | undefined
  const sources = new SourceRegistry().register('rtsp', (_camera, sink, _env, stream) => {
    const created = new FakeVideoSource(sink)
    if (stream === 'main') source = created
    return created
  })
  const ch = new CameraChannel(
    {
      id: 1,
      name: 'Fake',
      kind: 'rtsp',
      url: 'rtsp://127.0.0.1/fake',
      subUrl: null,
      transport: 'tcp',
      username: null,
      password: null,
      enabled: true,
      fps: 25,
      stayConnected: false,
      isOnline: false,
      lastSeenAt: null,
      ...cam,
    },
    { config, sources, hooks, limits },
  )
  channels.push(ch)
  const src = () => source!
  let n = 0
  const init = (label = 'a'): InitSegment => {
    const segment: InitSegment = {
      kind: 'init',
      codec: 'h264',
      codecString: 'avc1.640028',
      data: Buffer.from(`ftyp+moov ${label}`),
      timescale: 90_000,
      width: 1280,
      height: 720,
    }
    src().sink.init(segment)
    return segment
  }
  /** Sends `count` fragments with a key frame every `gop` (counting from the first fragment ever). */
  const units = (count: number, gop = 10, size = 1000) => {
    for (let i = 0; i < count; i++, n++) {
      src().sink.video({
        codec: 'h264',
        data: Buffer.alloc(size, n % 256),
        dts: n * 3600,
        pts: n * 3600,
        duration: 3600,
        keyframe: n % gop === 0,
      })
    }
  }
  return { ch, source: src, init, units }
}

const attach = (ch: CameraChannel, c: Consumer, opts?: AttachOptions) => ch.attach(c, opts)
const seqs = (c: TestConsumer) => c.units.map((u) => u.seq)

describe('a video channel', () => {
  it('hands a late joiner the init segment and the GOP from the latest key frame, then live units', () => {
    const { ch, init, units } = videoChannel()
    const early = new TestConsumer()
    attach(ch, early)
    const segment = init()
    units(25) // key frames at units 1, 11, 21 (seq)
    const late = new TestConsumer()
    attach(ch, late)
    expect(late.items[0]).toBe(segment)
    expect(seqs(late)).toEqual([21, 22, 23, 24, 25])
    expect(late.units[0]!.keyframe).toBe(true)
    // The same Buffers as everyone else's: nothing copied.
    expect(late.units[0]!.data).toBe(early.units[20]!.data)
    units(3)
    expect(seqs(late)).toEqual([21, 22, 23, 24, 25, 26, 27, 28])
    expect(seqs(early)).toEqual(Array.from({ length: 28 }, (_, i) => i + 1))
    // A key-frames consumer joining now gets the init and the latest key frame only, then key frames.
    const thumbs = new TestConsumer(true, 'detector')
    attach(ch, thumbs, { needs: 'keyframes' })
    units(10)
    expect(thumbs.items[0]).toBe(segment)
    expect(seqs(thumbs)).toEqual([21, 31])
    // Everyone got the camera's state on attach.
    expect(late.statuses[0]).toMatchObject({ type: 'status', cameraId: 1, state: 'online' })
  })

  it('a consumer keeps its queue bounds when the camera changes and it moves to the new stream', () => {
    const { ch, init, units } = videoChannel()
    const slow = new TestConsumer(false, 'detector')
    attach(ch, slow, { maxQueueUnits: 5 })
    init()
    ch.update({ ...ch.cam, url: 'rtsp://127.0.0.1/other' }, true)
    init('b')
    units(40)
    const info = ch.consumers().find((c) => c.consumer === slow)!
    expect(info.busy).toBe(true)
    expect(info.queuedUnits).toBeLessThanOrEqual(5)
    expect(info.skipped).toBeGreaterThan(0)
  })

  it('a slow consumer skips to the next key frame and never holds the others back', () => {
    const { ch, init, units } = videoChannel()
    const fast = new TestConsumer()
    const slow = new TestConsumer(false)
    attach(ch, fast)
    attach(ch, slow, { maxQueueUnits: 5 })
    init()
    for (let i = 0; i < 40; i++) {
      units(1)
      // Each unit reaches the fast consumer the moment it arrives, whatever the slow one does.
      expect(fast.units.length).toBe(i + 1)
    }
    const info = ch.consumers().find((c) => c.consumer === slow)!
    expect(info.busy).toBe(true)
    expect(info.queuedUnits).toBeLessThanOrEqual(5)
    expect(info.skipped).toBeGreaterThan(0)
    slow.catchUp()
    units(15)
    expect(seqs(fast)).toEqual(Array.from({ length: 55 }, (_, i) => i + 1))
    // The slow one got units in order, and after every gap it resumed at a key frame.
    const got = slow.units
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.seq).toBeGreaterThan(got[i - 1]!.seq)
      if (got[i]!.seq !== got[i - 1]!.seq + 1)
        expect(got[i]!.keyframe, `after a gap at ${got[i]!.seq}`).toBe(true)
    }
    expect(got[0]!.keyframe).toBe(true)
    // Caught up: it follows live again.
    expect(got.at(-1)!.seq).toBe(55)
    expect(ch.consumers().find((c) => c.consumer === slow)).toMatchObject({ busy: false, queuedUnits: 0 })
  })

  it('holds bounded memory however far behind a consumer falls, and a GOP past its bound waits for a key frame', () => {
    const limits = {
      maxQueueBytes: 64 * 1024,
      maxQueueUnits: 1000,
      maxGopBytes: 200 * 1024,
      maxGopUnits: 1000,
    }
    const { ch, init, units } = videoChannel(limits)
    const stuck = new TestConsumer(false)
    attach(ch, stuck)
    init()
    let maxQueued = 0
    for (let i = 0; i < 50; i++) {
      units(40, 25, 10_000) // 400 KB per round, a key frame every 250 KB
      const info = ch.consumers()[0]!
      maxQueued = Math.max(maxQueued, info.queuedBytes)
      expect(ch.gopBytes).toBeLessThanOrEqual(limits.maxGopBytes)
    }
    expect(maxQueued).toBeLessThanOrEqual(limits.maxQueueBytes)
    expect(maxQueued).toBeGreaterThan(0)
    expect(ch.consumers()[0]!.skipped).toBeGreaterThan(1500)
    // Key frames every 250 units of 10 KB (2.5 MB): over the GOP bound, so a joiner waits for the next one.
    const sparse = videoChannel(limits)
    attach(sparse.ch, new TestConsumer())
    sparse.init()
    sparse.units(240, 250, 10_000)
    expect(sparse.ch.gopBytes).toBe(0)
    const joiner = new TestConsumer()
    attach(sparse.ch, joiner)
    expect(joiner.items.map((i) => i.kind)).toEqual(['init'])
    sparse.units(20, 250, 10_000)
    expect(joiner.units[0]!.keyframe).toBe(true)
    expect(joiner.units[0]!.seq).toBe(251)
  })

  it('a new init segment (the stream changed) goes first, then units from the next key frame', () => {
    const { ch, init, units } = videoChannel()
    const c = new TestConsumer()
    attach(ch, c)
    init('first')
    units(15)
    const second = init('second')
    units(4) // no key frame yet
    expect(c.items.at(-1)).toBe(second)
    units(10) // key frame at unit 21
    const after = c.items.slice(c.items.indexOf(second) + 1) as VideoUnit[]
    expect(after.map((u) => u.seq)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29])
    expect(after[0]!.keyframe).toBe(true)
    expect(c.inits.map((i) => i.data.toString())).toEqual(['ftyp+moov first', 'ftyp+moov second'])
  })

  it('refuses fragments before an init segment', () => {
    const { ch, source } = videoChannel()
    attach(ch, new TestConsumer())
    source().sink.video({ codec: 'h264', data: Buffer.alloc(10), dts: 0, pts: 0, keyframe: true })
    expect(ch.lastProblem).toMatch(/before its init segment/)
    expect(ch.totals.framesIn).toBe(0)
  })

  it('attached consumers keep the pull source connected; after the last one leaves it lingers, then lets go', async () => {
    const { ch, source } = videoChannel()
    expect(source().running).toBe(false)
    expect(ch.state()).toBe('idle')
    const off1 = attach(ch, new TestConsumer())
    const off2 = attach(ch, new TestConsumer(true, 'viewer'))
    expect(source().running).toBe(true)
    expect(ch.viewerCount).toBe(1)
    off1()
    off1() // idempotent
    expect(source().running).toBe(true)
    off2()
    expect(source().running).toBe(true) // lingering
    const again = attach(ch, new TestConsumer())
    await new Promise((r) => setTimeout(r, 80))
    expect(source().running).toBe(true) // came back within the linger: never stopped
    expect(source().stops).toBe(0)
    again()
    await waitFor(() => !source().running, 'the source let go after the linger')
    expect(source().starts).toBe(1)
    expect(ch.state()).toBe('idle')
  })

  it('ends its consumers when the camera is disabled, one that stalls, and one that throws', () => {
    const { ch, init, units } = videoChannel()
    const stalled = new TestConsumer(false)
    const fine = new TestConsumer()
    const broken: Consumer = {
      role: 'detector',
      deliver: () => {
        throw new Error('detector bug')
      },
    }
    attach(ch, stalled)
    attach(ch, fine)
    attach(ch, broken)
    init()
    units(3)
    expect(ch.consumerCount).toBe(2) // the broken one is gone; the others carry on
    expect(fine.units).toHaveLength(3)
    ch.tick(performance.now() + config.viewerStallMs + 1)
    expect(stalled.ended).toBe('recorder stalled')
    expect(fine.ended).toBeUndefined()
    ch.update({ ...ch.cam, enabled: false }, true)
    expect(fine.ended).toBe('camera disabled')
    expect(ch.consumerCount).toBe(0)
  })
})

describe('a JPEG channel', () => {
  function pushChannel() {
    const ch = new CameraChannel(
      {
        id: 2,
        name: 'Push',
        kind: 'push',
        url: null,
        subUrl: null,
        transport: 'tcp',
        username: null,
        password: null,
        enabled: true,
        fps: 10,
        stayConnected: false,
        isOnline: false,
        lastSeenAt: null,
      },
      { config, sources: builtInSources(), hooks },
    )
    channels.push(ch)
    return ch
  }

  it('a busy consumer keeps only the latest frame; a joiner gets the latest at once', () => {
    const ch = pushChannel()
    const slow = new TestConsumer(false)
    const fast = new TestConsumer()
    attach(ch, slow)
    attach(ch, fast)
    const frames = [1, 2, 3, 4, 5].map((i) => testFrame(i))
    for (const f of frames) ch.jpeg(f)
    expect(fast.items.map((i) => i.data)).toEqual(frames)
    // The first is in flight; of the rest only the newest waits.
    expect(slow.items.map((i) => i.data)).toEqual([frames[0]])
    expect(ch.consumers().find((c) => c.consumer === slow)).toMatchObject({ queuedUnits: 1, skipped: 3 })
    slow.catchUp()
    expect(slow.items.map((i) => i.data)).toEqual([frames[0], frames[4]])
    const joiner = new TestConsumer()
    attach(ch, joiner)
    expect(joiner.items.map((i) => i.data)).toEqual([frames[4]])
    expect(joiner.items[0]).toMatchObject({ kind: 'jpeg', seq: 5 })
  })
})

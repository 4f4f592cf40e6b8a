/**
 * A live fragmented-MP4 player on a <video> element (Media Source Extensions): muted autoplay, one
 * SourceBuffer, appends queued while it is busy (bounded, skipping to a keyframe when behind), old video
 * trimmed behind the playhead, QuotaExceededError answered by trimming and retrying, and a keeper that holds
 * the playhead at the live edge (live-edge.ts). A codec the browser cannot decode is reported, never
 * played black. Transport-free: `push()` takes the init segment and fragments (mse-stream.ts feeds it from
 * the station's WebSocket).
 */
import { AppendQueue, type Segment } from './append-queue'
import { segmentKind } from './boxes'
import { parseFragment, parseInit, type InitInfo } from './fmp4-info'
import { canPlay, unsupportedMessage } from './codecs'
import { EdgeKeeper } from './edge-keeper'
import { LIVE_EDGE_DEFAULTS, rangesOf, trimRange, type BufferedRange } from './live-edge'
import { attachMediaSource, type Attachment } from './media-source'
import type { LivePlayer, LivePlayerOptions, LivePlayerStats, PlayerMode, PlayerStatus } from './player-types'
import { Timeline } from './timeline'

export type { LivePlayer, LivePlayerOptions, LivePlayerStats, PlayerMode, PlayerStatus } from './player-types'

export function createLivePlayer(video: HTMLVideoElement, opts: LivePlayerOptions = {}): LivePlayer {
  return new MsePlayer(video, opts)
}

const HAVE_CURRENT_DATA = 2

class MsePlayer implements LivePlayer {
  private mode: PlayerMode = 'idle'
  private codec: string | null = null
  private message: string | null = null
  private media: Attachment | null = null
  private init: InitInfo | null = null
  private initSegment: Segment | null = null
  private readonly queue: AppendQueue
  private readonly timeline = new Timeline()
  private inFlight: Segment | null = null
  private quotaRetry = false
  private ticker: ReturnType<typeof setInterval> | null = null
  private readonly keeper: EdgeKeeper
  private paused = false
  private readonly can: (codec: string) => boolean
  private readonly n = { frames: 0, fragments: 0, bytes: 0, quota: 0, rebases: 0 }
  private readonly onWaiting = () => this.tick()
  private readonly onPlaying = () => this.setMode('playing')
  private readonly onError = () => {
    if (this.media) this.fail(`cannot decode the video: ${this.video.error?.message || 'error'}`)
  }

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly o: LivePlayerOptions,
  ) {
    this.queue = new AppendQueue(o.queue)
    this.keeper = new EdgeKeeper(video, { ...LIVE_EDGE_DEFAULTS, ...o.liveEdge })
    this.can = o.canPlay ?? canPlay
    video.muted = true
    video.defaultMuted = true
    video.playsInline = true
    video.autoplay = true
    video.addEventListener('waiting', this.onWaiting)
    video.addEventListener('playing', this.onPlaying)
    video.addEventListener('error', this.onError)
  }

  setCodec(codec: string): boolean {
    if (this.mode === 'destroyed') return false
    if (codec === this.codec) {
      if (this.mode === 'unsupported') return false
      if (this.media || this.paused) return true
    } else {
      this.codec = codec
      // A new codec: the old init segment means nothing to the new SourceBuffer.
      this.init = null
      this.initSegment = null
    }
    this.release()
    if (!this.can(codec)) {
      this.setMode('unsupported', unsupportedMessage(codec))
      return false
    }
    if (this.paused) this.setMode('paused')
    else this.attach()
    return true
  }

  push(segment: ArrayBuffer | Uint8Array): void {
    if (this.paused || this.mode === 'destroyed' || this.mode === 'unsupported') return
    const bytes = segment instanceof Uint8Array ? segment : new Uint8Array(segment)
    const kind = segmentKind(bytes)
    if (kind === 'init') {
      const info = parseInit(bytes)
      this.init = info
      this.initSegment = { kind: 'init', bytes, keyframe: false, samples: 0, startS: null, durationS: 0 }
      // Without a codec announced, the init segment's own (H.264) codec string will do.
      if (!this.codec && info?.video?.codec) return void this.setCodec(info.video.codec)
      if (!this.media) return
      this.queue.push(this.initSegment)
    } else if (kind === 'fragment') {
      if (!this.media) return
      const f = parseFragment(bytes, this.init)
      const ts = f?.timescale ?? null
      this.queue.push({
        kind: 'fragment',
        bytes,
        keyframe: f?.keyframe ?? false,
        samples: f?.samples ?? 1,
        startS: ts && f && f.decodeTime !== null ? f.decodeTime / ts : null,
        durationS: ts && f ? f.duration / ts : 0,
      })
    } else return
    this.pump()
  }

  pause(): void {
    if (this.mode === 'destroyed' || this.paused) return
    this.paused = true
    this.release()
    if (this.mode !== 'unsupported') this.setMode('paused')
  }

  resume(): void {
    if (this.mode === 'destroyed' || !this.paused) return
    this.paused = false
    if (this.mode === 'unsupported') return
    if (this.codec) this.attach()
    else this.setMode('idle')
  }

  destroy(): void {
    if (this.mode === 'destroyed') return
    this.release()
    this.video.removeEventListener('waiting', this.onWaiting)
    this.video.removeEventListener('playing', this.onPlaying)
    this.video.removeEventListener('error', this.onError)
    this.setMode('destroyed')
  }

  status(): PlayerStatus {
    return { mode: this.mode, codec: this.codec, message: this.message }
  }

  stats(): LivePlayerStats {
    const ranges = this.ranges()
    const last = ranges[ranges.length - 1]
    const q =
      typeof this.video.getVideoPlaybackQuality === 'function' ? this.video.getVideoPlaybackQuality() : null
    return {
      mode: this.mode,
      codec: this.codec,
      framesAppended: this.n.frames,
      fragmentsAppended: this.n.fragments,
      bytesAppended: this.n.bytes,
      framesDropped: this.queue.dropped.frames,
      queued: this.queue.length,
      latencyS: last ? Math.max(0, last.end - this.video.currentTime) : null,
      bufferedS: ranges.reduce((s, r) => s + r.end - r.start, 0),
      jumps: this.keeper.jumps,
      playbackRate: this.video.playbackRate,
      decodedFrames: q ? q.totalVideoFrames : null,
      droppedFrames: q ? q.droppedVideoFrames : null,
      quotaErrors: this.n.quota,
      rebases: this.n.rebases,
      width: this.video.videoWidth,
      height: this.video.videoHeight,
    }
  }

  // ---- MediaSource ----

  private attach(): void {
    this.release()
    this.queue.clear()
    this.timeline.reset()
    if (this.initSegment) this.queue.push(this.initSegment)
    this.setMode('starting')
    this.media = attachMediaSource(this.video, this.codec!, {
      open: () => this.pump(),
      updateEnd: () => this.appended(),
      error: (message) => this.fail(message),
    })
    this.keeper.reset()
    this.ticker = setInterval(() => this.tick(), this.o.keeperMs ?? 250)
  }

  private release(): void {
    if (this.ticker) clearInterval(this.ticker)
    this.ticker = null
    this.media?.release()
    this.media = null
    this.inFlight = null
    this.quotaRetry = false
    this.queue.clear()
    this.video.playbackRate = 1
  }

  private fail(message: string): void {
    if (this.mode === 'destroyed' || this.paused) return
    this.release()
    this.setMode('error', message)
  }

  private setMode(mode: PlayerMode, message: string | null = null): void {
    if (mode === this.mode && message === this.message) return
    if (mode === 'playing' && this.mode !== 'starting') return
    this.mode = mode
    this.message = message
    this.o.onStatus?.(this.status())
  }

  // ---- appending ----

  private pump(): void {
    const media = this.media
    if (!media?.ready()) return
    const sb = media.sourceBuffer!
    if (this.trim(sb)) return
    const seg = this.queue.shift()
    if (!seg) return
    if (seg.kind === 'fragment' && seg.startS !== null) {
      const offset = this.timeline.place(seg.startS, seg.durationS)
      if (offset !== null) {
        sb.timestampOffset = offset
        this.n.rebases++
      }
    }
    try {
      sb.appendBuffer(seg.bytes as Uint8Array<ArrayBuffer>)
      this.inFlight = seg
    } catch (e) {
      if (e instanceof DOMException && e.name === 'QuotaExceededError') this.full(sb, seg)
      else this.fail(`cannot append video: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  private appended(): void {
    const seg = this.inFlight
    this.inFlight = null
    if (seg) {
      this.quotaRetry = false
      this.n.bytes += seg.bytes.byteLength
      if (seg.kind === 'fragment') {
        this.n.fragments++
        this.n.frames += seg.samples
        if (this.video.paused) void this.video.play().catch(() => {})
      }
    }
    this.pump()
  }

  /** The buffer is full: frees what is behind the playhead and retries; a second time in a row, skips ahead. */
  private full(sb: SourceBuffer, seg: Segment): void {
    this.n.quota++
    this.queue.unshift(seg)
    const ranges = this.ranges()
    const first = ranges[0]
    const until = this.video.currentTime - 1
    if (this.quotaRetry || !first || until <= first.start) {
      this.quotaRetry = false
      this.queue.skipToKeyframe()
      return
    }
    this.quotaRetry = true
    sb.remove(first.start, until)
  }

  /** Removes old video behind the playhead; true when a remove is under way. */
  private trim(sb: SourceBuffer): boolean {
    const r = trimRange(
      this.video.currentTime,
      this.ranges(),
      this.o.keepBehindS ?? 10,
      this.o.trimSlackS ?? 5,
    )
    if (!r) return false
    sb.remove(r.start, r.end)
    return true
  }

  // ---- live edge ----

  private tick(): void {
    if (!this.media) return
    this.keeper.look(this.ranges())
    if (!this.video.paused && this.video.readyState >= HAVE_CURRENT_DATA) this.setMode('playing')
    this.pump()
  }

  private ranges(): BufferedRange[] {
    return this.media ? rangesOf(this.video.buffered) : []
  }
}

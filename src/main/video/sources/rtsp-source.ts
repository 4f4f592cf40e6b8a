/**
 * RTSP cameras (H.264/H.265): ffmpeg is the RTSP client and copies the camera's video into fragmented MP4
 * (one fragment per frame, no re-encoding), which the splitter cuts into the init segment and fragments
 * for the channel. One ffmpeg per stream that someone needs, supervised like every pull source: a failed or
 * ended run is explained (refused credentials, stream not found, unreachable, unsupported codec, timed out)
 * and retried with the capped, jittered backoff; a run that delivers no fragment for the frame timeout is
 * stopped and retried.
 *
 * Credentials never reach ffmpeg's command line: ffmpeg connects to a loopback RTSP auth proxy (one per
 * source, kept while the source runs) with a one-run lease, and the proxy answers the camera's challenges
 * (../ffmpeg/rtsp-auth-proxy.ts). ffmpeg's stderr is redacted and logged aggregated.
 *
 * The `transcoded` stream is the same, re-encoded to low-resolution H.264 (the last resort for viewers
 * that cannot decode the camera's H.265).
 */
import type { RelayCamera } from '../../cameras/views'
import { CameraRequestError } from '../camera-http'
import { FfmpegProcess } from '../ffmpeg/ffmpeg-process'
import { RtspAuthProxy, explainRun } from '../ffmpeg/rtsp-auth-proxy'
import { rtspRemuxArgs, rtspTranscodeArgs, type RtspInput } from '../ffmpeg/rtsp-remux-args'
import { createRedactor } from '../ffmpeg/stderr-reasons'
import type { Fragment, InitSegment as SplitInit } from '../fmp4/splitter'
import type { InitSegment } from '../pipeline/units'
import { PullSource, type PullTimings } from './pull-source'
import { SourceUnavailableError, type SourceFactory, type StreamName } from './registry'
import type { SourceSink } from './source'

export interface RtspTarget {
  url: string
  username: string | null
  password: string | null
  transport: 'tcp' | 'udp'
}

export interface RtspSourceOptions {
  ffmpegPath: string
  /** Copy the camera's video (remux), or re-encode it to low-resolution H.264 (transcode). */
  mode: 'remux' | 'transcode'
  maxBoxBytes: number
  connectTimeoutMs: number
  /** Aggregated, redacted ffmpeg stderr and proxy refusals. */
  log?: ((line: string, repeats: number) => void) | undefined
}

/** The URL a stream of the camera is read from: the sub stream's, or the main one's. */
export function streamUrl(camera: RelayCamera, stream: StreamName): string | null {
  if (stream === 'main') return camera.url
  return camera.subUrl || camera.url
}

export const rtspSource: SourceFactory = (camera, sink, env, stream) => {
  if (!env.ffmpeg?.found) {
    throw new SourceUnavailableError(
      env.ffmpeg?.message ?? 'ffmpeg not found (install ffmpeg or set STATION_FFMPEG)',
    )
  }
  const url = streamUrl(camera, stream)
  if (!url) throw new SourceUnavailableError('camera URL unusable: no URL configured')
  if (!/^rtsps?:\/\//i.test(url)) throw new SourceUnavailableError('camera URL unusable: not an rtsp:// URL')
  const target: RtspTarget = {
    url,
    username: camera.username,
    password: camera.password,
    transport: camera.transport ?? 'tcp',
  }
  const log = env.log
  return new RtspSource(
    target,
    {
      ffmpegPath: env.ffmpeg.path,
      mode: stream === 'transcoded' ? 'transcode' : 'remux',
      maxBoxBytes: env.maxFrameBytes,
      connectTimeoutMs: env.http.connectTimeoutMs,
      log: log
        ? (line, repeats) => log.warn({ cameraId: camera.id, stream, ffmpeg: line, repeats }, 'ffmpeg says')
        : undefined,
    },
    sink,
    env.timings,
  )
}

export class RtspSource extends PullSource {
  readonly kind = 'rtsp' as const
  readonly media = 'video' as const
  private proxy: RtspAuthProxy | undefined
  private proc: FfmpegProcess | undefined
  private readonly redact: (s: string) => string
  /** The codec of the current run's init segment. */
  private codec: InitSegment['codec'] = 'h264'

  constructor(
    private readonly target: RtspTarget,
    private readonly options: RtspSourceOptions,
    sink: SourceSink,
    timings: PullTimings,
  ) {
    super(sink, timings)
    this.redact = createRedactor({
      username: target.username ?? undefined,
      password: target.password ?? undefined,
    })
  }

  /** The running ffmpeg's process id (tests: no orphans, nothing secret on its command line). */
  get pid(): number | undefined {
    return this.proc?.pid
  }

  protected async attempt(isCurrent: () => boolean): Promise<void> {
    this.proxy ??= await RtspAuthProxy.start({
      cameraUrl: this.target.url,
      username: this.target.username ?? undefined,
      password: this.target.password ?? undefined,
      connectTimeoutMs: this.options.connectTimeoutMs,
      log: this.options.log ? (m) => this.options.log!(this.redact(m), 1) : undefined,
    })
    if (!isCurrent()) return
    const lease = this.proxy.lease()
    const input: RtspInput = {
      url: lease.url,
      transport: this.target.transport,
      timeoutMs: Math.min(this.timings.frameTimeoutMs, 10_000),
    }
    const args = this.options.mode === 'remux' ? rtspRemuxArgs(input) : rtspTranscodeArgs(input)
    const timeoutMs = this.timings.frameTimeoutMs
    let stalled = false
    const watchdog = setTimeout(() => {
      stalled = true
      void proc.stop()
    }, timeoutMs)
    const proc = FfmpegProcess.start(
      {
        ffmpegPath: this.options.ffmpegPath,
        args,
        output: 'fmp4',
        maxBoxBytes: this.options.maxBoxBytes,
        redact: this.redact,
        log: this.options.log,
        logIntervalMs: 60_000,
      },
      {
        init: (init) => {
          this.openConnections = 1
          const unit = toInitUnit(init)
          this.codec = unit.codec
          this.sink.init(unit)
        },
        fragment: (f) => {
          watchdog.refresh()
          this.gotFrame()
          this.sink.video(toVideoFragment(f, this.codec))
        },
        problem: (p) => {
          if (!p.fatal) this.sink.problem(p.message)
        },
      },
    )
    this.proc = proc
    try {
      const exit = await proc.exited
      if (!isCurrent()) return
      if (stalled) throw new CameraRequestError(`no video for ${Math.round(timeoutMs / 1000)} s`)
      throw new CameraRequestError(explainRun(exit, lease).message)
    } finally {
      clearTimeout(watchdog)
      lease.release()
      if (this.proc === proc) this.proc = undefined
      this.openConnections = 0
    }
  }

  protected abortAttempt(reason: string): void {
    void this.proc?.stop()
    if (reason === 'stopped') {
      void this.proxy?.close()
      this.proxy = undefined
    }
  }

  protected nextDelayAfterSuccess(): number | null {
    return null
  }

  /** Resolves once ffmpeg (if any) has exited: for an orderly station stop. */
  async stopped(): Promise<void> {
    await this.proc?.exited
  }
}

function toInitUnit(init: SplitInit): InitSegment {
  return {
    kind: 'init',
    codec: init.codec === 'avc1' || init.codec === 'avc3' ? 'h264' : 'h265',
    codecString: init.codecString,
    data: init.data,
    timescale: init.timescale,
    width: init.width,
    height: init.height,
  }
}

function toVideoFragment(f: Fragment, codec: InitSegment['codec']) {
  const dts = f.baseMediaDecodeTime ?? 0
  return { codec, data: f.data, dts, pts: dts, duration: f.duration, keyframe: f.keyframe }
}

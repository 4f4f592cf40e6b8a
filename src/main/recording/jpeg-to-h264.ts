/**
 * JPEG cameras (push, MJPEG, snapshot) are recorded as H.264 in the same fragmented MP4 as RTSP cameras:
 * Chromium's MSE cannot play MJPEG in MP4, and one format keeps playback and export one code path. One
 * ffmpeg per recording JPEG camera encodes its frames as they arrive (libx264 ultrafast, zerolatency, one
 * thread, a key frame every 2 s of frames), with each frame's arrival time as its timestamp
 * (`-use_wallclock_as_timestamps`, millisecond time base), so media time follows the wall clock however
 * irregular the camera is. Out come an init segment and one fragment per frame, handed to the recorder
 * like an RTSP camera's, with the arrival time of the JPEG each came from.
 *
 * Bounded: at most 4 MiB wait in ffmpeg's stdin (beyond, frames are dropped and counted); a run that ends
 * is restarted with a growing delay by the recorder asking for frames again.
 */
import { FfmpegProcess, type FfmpegExit } from '../video/ffmpeg/ffmpeg-process'
import type { InitSegment, JpegUnit, VideoUnit } from '../video/pipeline/units'
import type { Fragment, InitSegment as SplitInit } from '../video/fmp4/splitter'

export interface EncoderSink {
  init(init: InitSegment): void
  video(unit: VideoUnit): void
  /** The run ended (ffmpeg exited): the reason, for the recorder's state. */
  ended(why: string): void
}

/** ffmpeg's arguments: JPEGs on stdin, fragmented MP4 of H.264 on stdout. */
export function jpegEncodeArgs(fps: number): string[] {
  const gop = Math.max(2, Math.round(fps * 2))
  return [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'error',
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    '-fflags',
    'nobuffer',
    '-use_wallclock_as_timestamps',
    '1',
    '-f',
    'image2pipe',
    '-framerate',
    '1000',
    '-c:v',
    'mjpeg',
    '-i',
    'pipe:0',
    '-an',
    '-fps_mode',
    'passthrough',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-threads',
    '1',
    '-pix_fmt',
    'yuv420p',
    '-x264-params',
    `keyint=${gop}:min-keyint=${gop}:scenecut=0`,
    '-flush_packets',
    '1',
    '-f',
    'mp4',
    '-movflags',
    'frag_every_frame+empty_moov+default_base_moof',
    '-video_track_timescale',
    '90000',
    'pipe:1',
  ]
}

export class JpegToH264 {
  private proc: FfmpegProcess | undefined
  /** Arrival times of the frames ffmpeg has and has not turned into fragments yet, in order. */
  private pending: number[] = []
  private seq = 0
  dropped = 0
  private closed = false

  constructor(
    private readonly ffmpegPath: string,
    private readonly fps: number,
    private readonly sink: EncoderSink,
  ) {}

  get running(): boolean {
    return this.proc !== undefined
  }

  get pid(): number | undefined {
    return this.proc?.pid
  }

  push(frame: JpegUnit): void {
    if (this.closed) return
    const proc = (this.proc ??= this.start())
    if (!proc.writeInput(frame.data)) {
      this.dropped++
      return
    }
    this.pending.push(frame.wallAt)
    if (this.pending.length > 1000) this.pending.shift()
  }

  private start(): FfmpegProcess {
    this.pending = []
    const proc = FfmpegProcess.start(
      { ffmpegPath: this.ffmpegPath, args: jpegEncodeArgs(this.fps), output: 'fmp4', input: 'stream' },
      {
        init: (init) => this.sink.init(toInit(init)),
        fragment: (f) => this.sink.video(this.toUnit(f)),
      },
    )
    void proc.exited.then((exit: FfmpegExit) => {
      if (this.proc === proc) this.proc = undefined
      if (!this.closed) this.sink.ended(`the JPEG encoder stopped: ${exit.message}`)
    })
    return proc
  }

  private toUnit(f: Fragment): VideoUnit {
    const dts = f.baseMediaDecodeTime ?? 0
    const wallAt = this.pending.shift() ?? Date.now()
    return {
      kind: 'video',
      codec: 'h264',
      data: f.data,
      dts,
      pts: dts,
      duration: f.duration,
      keyframe: f.keyframe,
      seq: ++this.seq,
      receivedAt: performance.now(),
      wallAt,
    }
  }

  /** Stops ffmpeg; resolves once it has exited. */
  async close(): Promise<void> {
    this.closed = true
    await this.proc?.stop()
  }
}

function toInit(init: SplitInit): InitSegment {
  return {
    kind: 'init',
    codec: 'h264',
    codecString: init.codecString,
    data: init.data,
    timescale: init.timescale,
    width: init.width,
    height: init.height,
  }
}

/**
 * One motion decoder: an ffmpeg child fed a camera's units on stdin (no second connection to the camera)
 * that writes small gray frames on stdout (decoder-args.ts). Frames are cut from stdout by size and handed
 * out one by one (the Buffer is reused: use it at once). Writing answers false while ffmpeg is behind;
 * the caller waits for `drained` before it takes the next unit, so the camera's channel queues within its
 * bounds and skips to the next key frame when the decoder cannot keep up.
 *
 * An ffmpeg whose station dies exits by itself: its stdin (the station's pipe) ends and it stops reading.
 */
import { readFileSync } from 'node:fs'
import { FfmpegProcess, type FfmpegExit } from '../video/ffmpeg/ffmpeg-process'
import { grayDecoderArgs, type DecodeMode } from './decoder-args'

export interface GrayDecoderOptions {
  ffmpegPath: string
  mode: DecodeMode
  width: number
  height: number
  fps: number
  log?: (line: string, repeats: number) => void
  frame(frame: Uint8Array, at: number): void
  exit(exit: FfmpegExit): void
}

export class GrayDecoder {
  readonly width: number
  readonly height: number
  readonly mode: DecodeMode
  readonly startedAt = Date.now()
  private readonly proc: FfmpegProcess
  private readonly buf: Buffer
  private filled = 0
  /** Bytes written since the last frame came out (stall detection). */
  pendingSince: number | null = null
  frames = 0

  constructor(private readonly o: GrayDecoderOptions) {
    this.width = o.width
    this.height = o.height
    this.mode = o.mode
    this.buf = Buffer.alloc(o.width * o.height)
    this.proc = FfmpegProcess.start(
      {
        ffmpegPath: o.ffmpegPath,
        args: grayDecoderArgs(o),
        output: 'raw',
        input: 'stream',
        stopGraceMs: 500,
        ...(o.log ? { log: o.log } : {}),
      },
      { data: (chunk) => this.data(chunk), exit: (e) => o.exit(e) },
    )
  }

  get pid(): number | undefined {
    return this.proc.pid
  }

  get exited(): Promise<FfmpegExit> {
    return this.proc.exited
  }

  /** Hands ffmpeg some input; false: wait for `drained` (not called if ffmpeg is gone: `exit` is). */
  write(chunk: Uint8Array, drained: () => void): boolean {
    this.pendingSince ??= Date.now()
    return this.proc.write(chunk, drained)
  }

  stop(): Promise<FfmpegExit> {
    return this.proc.stop()
  }

  /** CPU time ffmpeg has used (ms), read from /proc on Linux; null elsewhere or once it is gone. */
  cpuMs(): number | null {
    const pid = this.proc.pid
    if (pid === undefined || process.platform !== 'linux') return null
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
      // Fields after the command name (which may hold spaces): state is the 3rd, utime the 14th, stime the 15th.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ticks = Number(rest[11]) + Number(rest[12])
      return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : null
    } catch {
      return null
    }
  }

  private data(chunk: Buffer): void {
    let off = 0
    while (off < chunk.length) {
      const n = Math.min(chunk.length - off, this.buf.length - this.filled)
      chunk.copy(this.buf, this.filled, off, off + n)
      this.filled += n
      off += n
      if (this.filled === this.buf.length) {
        this.filled = 0
        this.frames++
        this.pendingSince = null
        this.o.frame(this.buf, Date.now())
      }
    }
  }
}

/** USER_HZ: 100 on every Linux the station runs on. */
const CLOCK_TICKS = 100

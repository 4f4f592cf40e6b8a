/**
 * One supervised ffmpeg child: spawned with an argument array (no shell), stdout through the fMP4
 * splitter (or handed out raw, for a snapshot's JPEG), stderr parsed line by line into problems and an
 * aggregated, redacted log. The caller decides when it has stalled (no fragment for N ms) and calls
 * `stop()`: SIGTERM, SIGKILL after a short grace, resolved once the process is gone.
 *
 * When the station dies (even `kill -9`), ffmpeg must not live on:
 * - it writes to a pipe the station read: its next write fails (EPIPE) and it exits;
 * - a stalled camera means no writes, though. Through the RTSP auth proxy (the normal case), ffmpeg's input
 *   connection is a socket of the station's own process: the kernel closes it with the station, ffmpeg
 *   reads end-of-stream and exits at once;
 * - as a last bound, the input's socket timeout (`-timeout`, see rtsp-remux-args.ts) ends a silent input:
 *   ffmpeg 5.1 exits about two timeouts after the camera went quiet.
 * A stdin pipe the station never writes to is no help: ffmpeg 5.1 does not notice its end while it waits
 * for input (measured), so ffmpeg runs with `-nostdin` and its stdin is merely never written.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { StringDecoder } from 'node:string_decoder'
import { Fmp4Splitter, type Fragment, type InitSegment } from '../fmp4/splitter'
import { RepeatedLineLog } from './log-aggregator'
import { classifyStderrLine, worse, type FfmpegProblem, type FfmpegReason } from './stderr-reasons'

export interface FfmpegProcessOptions {
  ffmpegPath: string
  args: readonly string[]
  /** `fmp4`: stdout goes through the splitter (init, fragment); `raw`: stdout chunks as they come (data). */
  output: 'fmp4' | 'raw'
  /**
   * Bytes written to ffmpeg's stdin, which is then closed (`-i pipe:0`: a snapshot's init segment and
   * keyframe). `'stream'`: stdin stays open for `write()` (a decoder fed a camera's units), closed by
   * `endInput()` or `stop()`. Without it stdin is never written (camera runs use `-nostdin`).
   */
  input?: readonly Uint8Array[] | 'stream'
  /** Limit on one fMP4 box (default 8 MiB). */
  maxBoxBytes?: number
  /** Applied to every stderr line before it is logged or put in a problem. */
  redact?: (text: string) => string
  /** Aggregated stderr log (first occurrence at once, repeats summed up per interval). */
  log?: (line: string, repeats: number) => void
  logIntervalMs?: number
  /** A longer stderr line is cut (default 2048 characters). */
  maxLineLength?: number
  /** SIGTERM, then SIGKILL after this long (default 2000 ms). */
  stopGraceMs?: number
  /** Environment of the child; by default only PATH (and Windows' system variables) with LC_ALL=C, so
   *  system error strings are English whatever the station's locale. */
  env?: NodeJS.ProcessEnv
}

export interface FfmpegHandlers {
  init?(init: InitSegment): void
  fragment?(fragment: Fragment): void
  data?(chunk: Buffer): void
  /** A problem ffmpeg reported on stderr, or unusable output (then the process is being stopped). */
  problem?(problem: FfmpegProblem): void
  exit?(exit: FfmpegExit): void
}

export type FfmpegExitReason = FfmpegReason | 'stopped' | 'ended' | 'spawn-failed' | 'crashed'

export interface FfmpegExit {
  code: number | null
  signal: NodeJS.Signals | null
  reason: FfmpegExitReason
  /** For the guard, e.g. "The camera refused the user name or password". */
  message: string
  /** The most telling problem reported before the end (not counting what `stop()` itself caused). */
  problem: FfmpegProblem | null
}

export interface FfmpegStats {
  pid: number | undefined
  startedAt: number
  stdoutBytes: number
  fragments: number
  /** Epoch ms of the last fragment (or raw chunk), for the caller's stall detection. */
  lastOutputAt: number | null
}

const KILL_WAIT_MS = 2000

export class FfmpegProcess {
  readonly exited: Promise<FfmpegExit>
  private readonly child: ChildProcess
  private readonly splitter: Fmp4Splitter | undefined
  private readonly lineLog: RepeatedLineLog | undefined
  private readonly decoder = new StringDecoder('utf8')
  private readonly redact: (s: string) => string
  private readonly maxLine: number
  private partial = ''
  private discarding = false
  private problem: FfmpegProblem | null = null
  private lastFatalLine: string | null = null
  private stopping = false
  private spawnError: Error | undefined
  private finished: FfmpegExit | undefined
  private resolveExit!: (exit: FfmpegExit) => void
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined
  private readonly stat: FfmpegStats

  private constructor(
    private readonly options: FfmpegProcessOptions,
    private readonly on: FfmpegHandlers,
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve))
    this.redact = options.redact ?? ((s) => s)
    this.maxLine = options.maxLineLength ?? 2048
    const log = options.log
    this.lineLog = log ? new RepeatedLineLog({ emit: log, intervalMs: options.logIntervalMs }) : undefined
    if (options.output === 'fmp4') {
      this.splitter = new Fmp4Splitter(
        {
          init: (init) => on.init?.(init),
          fragment: (f) => {
            this.stat.fragments++
            this.stat.lastOutputAt = Date.now()
            on.fragment?.(f)
          },
          error: (err) => {
            this.report({
              reason: 'bad-stream',
              message: "ffmpeg's output is not usable video",
              detail: err.message,
              fatal: true,
            })
            void this.stop()
          },
        },
        { maxBoxBytes: options.maxBoxBytes },
      )
    }
    this.child = spawn(options.ffmpegPath, [...options.args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? childEnv(),
      windowsHide: true,
    })
    this.stat = {
      pid: this.child.pid,
      startedAt: Date.now(),
      stdoutBytes: 0,
      fragments: 0,
      lastOutputAt: null,
    }
    // Errors (EPIPE once ffmpeg is gone) mean nothing: ffmpeg's exit says what happened.
    this.child.stdin?.on('error', () => {})
    // Without input, never written: ffmpeg runs with -nostdin.
    if (Array.isArray(options.input)) {
      for (const chunk of options.input) this.child.stdin?.write(chunk)
      this.child.stdin?.end()
    }
    this.child.stdout?.on('data', (chunk: Buffer) => this.stdout(chunk))
    this.child.stderr?.on('data', (chunk: Buffer) => this.stderr(this.decoder.write(chunk)))
    this.child.on('error', (err) => {
      this.spawnError = err
      // A process that never started sends no 'close' of its own on every platform.
      if (this.child.pid === undefined) this.finish()
    })
    this.child.on('exit', (code, signal) => {
      this.exitStatus = { code, signal }
      // 'close' follows once stdout and stderr are drained; do not wait for it forever.
      setTimeout(() => this.finish(), KILL_WAIT_MS).unref()
    })
    this.child.on('close', (code, signal) => {
      this.exitStatus ??= { code, signal }
      this.finish()
    })
  }

  static start(options: FfmpegProcessOptions, handlers: FfmpegHandlers = {}): FfmpegProcess {
    return new FfmpegProcess(options, handlers)
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  stats(): FfmpegStats {
    return { ...this.stat }
  }

  /**
   * Writes to stdin (`input: 'stream'`). Answers false when ffmpeg has not taken the bytes yet (the pipe is
   * full) or is gone; `drained` is then called once it has taken them (never when it is gone: its exit
   * follows). True: taken, `drained` is not called.
   */
  write(chunk: Uint8Array, drained?: () => void): boolean {
    const stdin = this.child.stdin
    if (this.options.input !== 'stream' || !stdin || !stdin.writable || this.finished) return false
    if (stdin.write(chunk)) return true
    if (drained) stdin.once('drain', drained)
    return false
  }

  /** Closes stdin (`input: 'stream'`): ffmpeg finishes what it has and exits. */
  endInput(): void {
    if (this.options.input === 'stream') this.child.stdin?.end()
  }

  /**
   * Writes to stdin (`input: 'stream'`) unless more than `maxBacklog` bytes already wait in the pipe: false,
   * and nothing written, when ffmpeg is that far behind or going (the caller drops the frame).
   */
  writeInput(chunk: Uint8Array, maxBacklog = 4 * 1024 * 1024): boolean {
    const stdin = this.child.stdin
    if (this.options.input !== 'stream' || !stdin || !stdin.writable || this.stopping) return false
    if (stdin.writableLength > maxBacklog) return false
    stdin.write(chunk)
    return true
  }

  /** SIGTERM, SIGKILL after the grace; resolves when the process has exited (bounded: grace + 2 s). */
  stop(): Promise<FfmpegExit> {
    if (this.finished || this.stopping) return this.exited
    this.stopping = true
    if (this.exitStatus === undefined && this.child.pid !== undefined) {
      this.child.kill('SIGTERM')
      const grace = setTimeout(() => {
        if (this.exitStatus === undefined) this.child.kill('SIGKILL')
        setTimeout(() => this.finish(), KILL_WAIT_MS).unref()
      }, this.options.stopGraceMs ?? 2000)
      grace.unref()
      void this.exited.then(() => clearTimeout(grace))
    }
    return this.exited
  }

  private stdout(chunk: Buffer): void {
    this.stat.stdoutBytes += chunk.length
    if (this.splitter) {
      this.splitter.push(chunk)
    } else {
      this.stat.lastOutputAt = Date.now()
      this.on.data?.(chunk)
    }
  }

  /** Splits stderr into lines; memory stays bounded by one line. */
  private stderr(text: string): void {
    let start = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c !== 10 && c !== 13) continue
      this.appendPartial(text.slice(start, i))
      if (!this.discarding) this.line(this.partial)
      this.partial = ''
      this.discarding = false
      start = i + 1
    }
    this.appendPartial(text.slice(start))
  }

  private appendPartial(piece: string): void {
    if (this.discarding || !piece) return
    this.partial += piece
    if (this.partial.length > this.maxLine) {
      this.line(`${this.partial.slice(0, this.maxLine)}…`)
      this.partial = ''
      this.discarding = true
    }
  }

  private line(raw: string): void {
    if (!raw.trim()) return
    const line = this.redact(raw)
    this.lineLog?.add(line)
    const problem = classifyStderrLine(line)
    if (problem) this.report(problem)
    if (problem?.fatal) this.lastFatalLine = problem.detail
  }

  private report(problem: FfmpegProblem): void {
    // What ffmpeg says while we stop it ("Immediate exit requested"...) is not the camera's fault.
    if (this.stopping) return
    if (problem.fatal) this.problem = worse(this.problem, problem)
    this.on.problem?.(problem)
  }

  private finish(): void {
    if (this.finished) return
    if (this.partial && !this.discarding) this.line(this.partial + this.decoder.end())
    this.partial = ''
    this.splitter?.end()
    this.lineLog?.close()
    const { code, signal } = this.exitStatus ?? { code: null, signal: null }
    this.finished = { code, signal, problem: this.problem, ...this.explain(code, signal) }
    this.on.exit?.(this.finished)
    this.resolveExit(this.finished)
  }

  private explain(
    code: number | null,
    signal: NodeJS.Signals | null,
  ): Pick<FfmpegExit, 'reason' | 'message'> {
    if (this.spawnError && this.child.pid === undefined) {
      return {
        reason: 'spawn-failed',
        message: `Could not start ffmpeg: ${this.redact(this.spawnError.message)}`,
      }
    }
    if (this.problem) return { reason: this.problem.reason, message: this.problem.message }
    if (this.stopping) return { reason: 'stopped', message: 'Stopped' }
    if (code === 0) return { reason: 'ended', message: 'The camera ended the stream' }
    if (signal) return { reason: 'crashed', message: `ffmpeg was killed (${signal})` }
    const last = this.lastFatalLine ? `: ${this.lastFatalLine}` : ''
    return { reason: 'other', message: `ffmpeg exited with code ${code}${last}` }
  }
}

/**
 * The environment of every ffmpeg the station starts: PATH and what Windows needs for sockets, English
 * system messages (the classifier reads them); no station setting (passwords, keys) gets through.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { LC_ALL: 'C', LANG: 'C' }
  for (const name of ['PATH', 'Path', 'SystemRoot', 'SYSTEMROOT', 'windir', 'TEMP', 'TMP']) {
    const v = process.env[name]
    if (v !== undefined) env[name] = v
  }
  return env
}

/**
 * The connect / fail / wait / retry loop shared by the pull sources: status for the guard, capped
 * exponential backoff with jitter between attempts, and a watchdog that drops a connection delivering no
 * valid frame (a camera that hangs or answers garbage) so it is retried instead of silently stuck.
 */
import type { CameraKind } from '../../../shared/constants'
import { Backoff } from '../backoff'
import { describeError } from '../camera-http'
import type { CameraSource, SourceInfo, SourceSink, SourceStatus } from './source'

export interface PullTimings {
  backoffMinMs: number
  backoffMaxMs: number
  /** A connection without a valid frame for this long is dropped and retried. */
  frameTimeoutMs: number
}

export abstract class PullSource implements CameraSource {
  abstract readonly kind: CameraKind
  abstract readonly media: 'jpeg' | 'video'
  readonly pull = true
  protected running = false
  private status: SourceStatus = 'stopped'
  private lastError: string | null = null
  private nextRetryAt: number | null = null
  private reconnects = 0
  protected openConnections = 0
  private retryTimer: NodeJS.Timeout | undefined
  private readonly backoff: Backoff
  /** Bumped on every start/stop so a stale attempt cannot report into a newer one. */
  private generation = 0

  constructor(
    protected readonly sink: SourceSink,
    protected readonly timings: PullTimings,
  ) {
    this.backoff = new Backoff(timings.backoffMinMs, timings.backoffMaxMs)
  }

  /** Runs one connection (or one poll) until it ends; throws with the reason it failed. */
  protected abstract attempt(isCurrent: () => boolean): Promise<void>
  /** Aborts whatever `attempt` has open. */
  protected abstract abortAttempt(reason: string): void
  /** Delay before the next attempt after one that ended without error (snapshot polling). */
  protected abstract nextDelayAfterSuccess(elapsedMs: number): number | null

  start(): void {
    if (this.running) return
    this.running = true
    this.generation++
    this.backoff.reset()
    this.launch()
  }

  stop(): void {
    if (!this.running) return
    this.running = false
    this.generation++
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    this.abortAttempt('stopped')
    this.nextRetryAt = null
    this.setStatus('stopped')
  }

  info(): SourceInfo {
    return {
      status: this.status,
      lastError: this.lastError,
      nextRetryAt: this.nextRetryAt,
      reconnects: this.reconnects,
      connections: this.openConnections,
    }
  }

  /** A valid frame arrived: the connection works, so the next failure starts from the smallest delay. */
  protected gotFrame(): void {
    this.backoff.reset()
    if (this.status !== 'connected') this.setStatus('connected')
  }

  protected markConnected(): void {
    this.setStatus('connected')
  }

  private launch(): void {
    const gen = this.generation
    const isCurrent = () => this.running && this.generation === gen
    this.nextRetryAt = null
    if (this.status !== 'connected') this.setStatus('connecting')
    const started = performance.now()
    this.attempt(isCurrent).then(
      () => {
        if (!isCurrent()) return
        const delay = this.nextDelayAfterSuccess(performance.now() - started)
        if (delay === null) this.retry(new Error('camera closed the stream'))
        else this.schedule(delay)
      },
      (err: unknown) => {
        if (isCurrent()) this.retry(err)
      },
    )
  }

  private retry(err: unknown): void {
    this.lastError = describeError(err)
    this.reconnects++
    const delay = this.backoff.next()
    this.nextRetryAt = Date.now() + delay
    this.setStatus('waiting')
    this.schedule(delay)
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      if (this.running) this.launch()
    }, delayMs)
  }

  private setStatus(s: SourceStatus): void {
    if (this.status === s) return
    this.status = s
    if (s === 'connected') this.lastError = null
    this.sink.statusChanged()
  }
}

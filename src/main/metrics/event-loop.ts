/**
 * Event-loop delay (perf_hooks.monitorEventLoopDelay) over a rolling window: the histogram is reset every
 * `windowMs`, and the figures come from the current window, or the previous one just after a reset.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import type { LoopDelay } from '../../shared/schemas/metrics'

export type { LoopDelay }

const EMPTY: LoopDelay = { p50Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0, samples: 0, windowSeconds: 0 }
const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0)

export class EventLoopMonitor {
  private readonly h: IntervalHistogram
  private timer: NodeJS.Timeout | undefined
  private previous: LoopDelay = EMPTY
  private windowStarted = performance.now()

  constructor(
    private readonly windowMs = 60_000,
    resolution = 10,
  ) {
    this.h = monitorEventLoopDelay({ resolution })
  }

  start(): void {
    this.h.enable()
    this.windowStarted = performance.now()
    this.timer ??= setInterval(() => {
      this.previous = this.read()
      this.h.reset()
      this.windowStarted = performance.now()
    }, this.windowMs)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.h.disable()
  }

  private read(): LoopDelay {
    if (this.h.count === 0) return EMPTY
    return {
      p50Ms: ms(this.h.percentile(50)),
      p99Ms: ms(this.h.percentile(99)),
      maxMs: ms(this.h.max),
      meanMs: ms(this.h.mean),
      samples: this.h.count,
      windowSeconds: (performance.now() - this.windowStarted) / 1000,
    }
  }

  stats(): LoopDelay {
    const current = this.read()
    return current.samples >= 10 || this.previous.samples === 0 ? current : this.previous
  }
}

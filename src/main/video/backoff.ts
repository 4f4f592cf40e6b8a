/**
 * Capped exponential backoff with jitter for reconnecting to cameras: never a tight restart loop, and
 * many cameras that failed together do not retry in lockstep.
 */
export class Backoff {
  private attempt = 0

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt: min·2^n capped at max, then scaled by a random 50-100%. */
  next(): number {
    const base = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.attempt, 30))
    this.attempt++
    return Math.max(this.minMs / 2, Math.round(base * (0.5 + this.random() * 0.5)))
  }

  /** After a connection that worked: start again from the smallest delay. */
  reset(): void {
    this.attempt = 0
  }

  get failures(): number {
    return this.attempt
  }
}

/**
 * A consumer of a camera's units: a network viewer (MJPEG, WebSocket), a recorder, a motion detector.
 * Each attaches to the camera's channel the same way and gets the same units; while any consumer is
 * attached the channel keeps a pull camera connected (and for a short linger after the last one leaves).
 *
 * Backpressure: the channel hands a consumer one item at a time and waits for its `done()` before the
 * next (the consumer is busy until then: its socket or file has not taken the bytes yet). Meanwhile the
 * channel keeps a bounded queue for it (bytes and units); a consumer that falls behind skips: JPEG keeps
 * only the latest frame, video drops fragments until the next key frame. A slow consumer never holds
 * back the camera or the other consumers, and never makes the station buffer without bound.
 */
import type { StreamStatusMessage } from '../../../shared/schemas/video'
import type { MediaItem, MediaUnit } from './units'

/** Viewers count against the station's viewer limit; the rest are the station's own consumers. */
export type ConsumerRole = 'viewer' | 'recorder' | 'detector'

export interface Consumer {
  readonly role: ConsumerRole
  /**
   * Takes one item: the init segment (before the first video unit, again when the stream changes) or a
   * unit. Call `done` once it has been taken (written to the socket, the file); nothing more is delivered
   * before. `done` may be called at once, from inside `deliver`.
   */
  deliver(item: MediaItem, done: () => void): void
  /**
   * Optional filter, asked before a unit is queued (a reduced frame rate, a detector that samples): false
   * skips it. A video unit skipped this way skips the following ones up to the next key frame.
   */
  accept?(unit: MediaUnit): boolean
  /** The camera's relay state: once on attach, then on every change. */
  status?(msg: StreamStatusMessage): void
  /** Called about twice a second (keep-alives). */
  tick?(now: number): void
  /**
   * The channel let go of the consumer: the camera was disabled, deleted or became unusable, the
   * consumer stalled (one delivery in flight for longer than the stall limit), or the station is stopping.
   * Not called after the consumer detached itself.
   */
  end?(reason: string): void
}

/**
 * live: every unit in order (what a viewer or a recorder needs; JPEG: the latest frame wins when behind) ·
 * keyframes: key frames only, the latest wins (thumbnails, a detector that looks at whole pictures).
 */
export type ConsumerNeeds = 'live' | 'keyframes'

export interface AttachOptions {
  needs?: ConsumerNeeds
  /** Figures group the consumer's counts go to (viewers: 'full' or 'reduced'); defaults to its role. */
  group?: string
  /** Bound of its queue while it is busy (defaults: the channel's limits). */
  maxQueueBytes?: number
  maxQueueUnits?: number
}

/** Detaches the consumer (idempotent): it gets nothing more, and `end` is not called. */
export type Detach = () => void

/** Something consumers attach to: a camera's channel. */
export interface UnitSource {
  attach(consumer: Consumer, opts?: AttachOptions): Detach
}

export interface ConsumerCounters {
  /** Units handed to the consumer. */
  sent: number
  bytes: number
  /** Units it skipped because it was behind (the rate filter's skips are not counted). */
  skipped: number
}

export const newCounters = (): ConsumerCounters => ({ sent: 0, bytes: 0, skipped: 0 })

/** A consumer's figures, as its channel reports them. */
export interface ConsumerInfo extends ConsumerCounters {
  consumer: Consumer
  group: string
  needs: ConsumerNeeds
  /** A delivery is in flight (the consumer has not called `done` yet). */
  busy: boolean
  queuedUnits: number
  queuedBytes: number
  /** Waiting for the next key frame after falling behind. */
  skipping: boolean
}

/**
 * One consumer attached to a channel: its bounded queue, its skipping, its backpressure. The channel
 * offers every unit to every attachment; an attachment hands its consumer one item at a time and the
 * next once the consumer called `done`. While the consumer is busy:
 *
 * - JPEG: at most one frame waits, and a newer one replaces it (the latest frame wins);
 * - video (`live`): units queue in order up to the bounds (bytes, units); past them the queue is
 *   dropped and the consumer resumes at the next key frame;
 * - video (`keyframes`): only key frames, and only the latest waits.
 *
 * A consumer whose stream changes (a new init segment) gets the init first, then units from the next
 * key frame. Queued units are the channel's own Buffers: nothing is copied.
 */
import type { Consumer, ConsumerCounters, ConsumerInfo, ConsumerNeeds } from './consumer'
import type { InitSegment, JpegUnit, MediaItem, MediaUnit, VideoUnit } from './units'

export interface AttachmentOptions {
  needs: ConsumerNeeds
  group: string
  /** The channel's totals for the consumer's group (kept when it leaves). */
  totals: ConsumerCounters
  maxQueueBytes: number
  maxQueueUnits: number
  /** A unit was taken by the consumer `ms` after the station received it. */
  onDelivered?: ((ms: number) => void) | undefined
  /** The consumer threw from `deliver`: the channel lets go of it. */
  onFailed: (err: unknown) => void
}

export class Attachment {
  readonly counters: ConsumerCounters = { sent: 0, bytes: 0, skipped: 0 }
  private readonly queue: MediaItem[] = []
  private queuedBytes = 0
  private queuedUnits = 0
  private inflight = false
  private inflightSince = 0
  /** receivedAt of the unit in flight; -1 for an init segment. */
  private inflightAt = -1
  private pumping = false
  private detached = false
  /** Video: waiting for a key frame (at first, after falling behind, after a new init segment). */
  private skipping = true
  /** The init segment this consumer was last given (or has queued). */
  private currentInit: InitSegment | undefined

  constructor(
    readonly consumer: Consumer,
    private readonly opts: AttachmentOptions,
  ) {}

  /** The stream's init segment (on attach, and whenever it changes). */
  init(segment: InitSegment): void {
    if (this.detached || this.currentInit === segment) return
    // Units of the previous stream mean nothing to a decoder set up for this one.
    this.dropQueued(true)
    this.currentInit = segment
    this.queue.push(segment)
    this.queuedBytes += segment.data.length
    this.skipping = true
    this.pump()
  }

  offer(u: MediaUnit): void {
    if (this.detached) return
    if (u.kind === 'jpeg') this.offerJpeg(u)
    else this.offerVideo(u)
  }

  private offerJpeg(u: JpegUnit): void {
    if (this.consumer.accept && !this.consumer.accept(u)) return
    // Every JPEG stands alone: a newer one replaces the one waiting.
    this.dropQueued(false)
    this.push(u)
  }

  private offerVideo(u: VideoUnit): void {
    // Without its init segment a fragment cannot be decoded.
    if (this.currentInit === undefined) return
    if (this.opts.needs === 'keyframes') {
      if (!u.keyframe || (this.consumer.accept && !this.consumer.accept(u))) return
      this.dropQueued(false)
      this.push(u)
      return
    }
    if (this.skipping) {
      if (!u.keyframe) return this.skip()
      this.skipping = false
    }
    if (this.consumer.accept && !this.consumer.accept(u)) {
      this.skipping = true
      return this.skip()
    }
    const full =
      this.queuedUnits > 0 &&
      (this.queuedUnits + 1 > this.opts.maxQueueUnits ||
        this.queuedBytes + u.data.length > this.opts.maxQueueBytes)
    if (full) {
      // Behind by more than the queue holds: drop what waits and resume at a key frame.
      this.dropQueued(false)
      if (!u.keyframe) {
        this.skipping = true
        return this.skip()
      }
    }
    this.push(u)
  }

  private skip(): void {
    this.counters.skipped++
    this.opts.totals.skipped++
  }

  private push(u: MediaUnit): void {
    this.queue.push(u)
    this.queuedBytes += u.data.length
    this.queuedUnits++
    this.pump()
  }

  /** Drops the units waiting (counted as skipped), and the init segments too when `inits`. */
  private dropQueued(inits: boolean): void {
    if (this.queue.length === 0) return
    let kept = 0
    for (const item of this.queue) {
      if (item.kind === 'init' && !inits) {
        this.queue[kept++] = item
        continue
      }
      this.queuedBytes -= item.data.length
      if (item.kind !== 'init') {
        this.queuedUnits--
        this.skip()
      }
    }
    this.queue.length = kept
  }

  private pump(): void {
    if (this.pumping) return
    this.pumping = true
    try {
      while (!this.inflight && !this.detached && this.queue.length > 0) {
        const item = this.queue.shift()!
        const size = item.data.length
        this.queuedBytes -= size
        if (item.kind === 'init') this.inflightAt = -1
        else {
          this.queuedUnits--
          this.inflightAt = item.receivedAt
          this.counters.sent++
          this.counters.bytes += size
          this.opts.totals.sent++
          this.opts.totals.bytes += size
        }
        this.inflight = true
        this.inflightSince = performance.now()
        try {
          this.consumer.deliver(item, this.done)
        } catch (err) {
          this.inflight = false
          this.opts.onFailed(err)
        }
      }
    } finally {
      this.pumping = false
    }
  }

  /** The consumer took the item in flight: hand it the next one. */
  private readonly done = (): void => {
    if (!this.inflight || this.detached) return
    this.inflight = false
    if (this.inflightAt >= 0) this.opts.onDelivered?.(performance.now() - this.inflightAt)
    this.pump()
  }

  /** How long the item in flight has waited for the consumer (0 when idle). */
  stalledFor(now: number): number {
    return this.inflight ? now - this.inflightSince : 0
  }

  detach(): void {
    this.detached = true
    this.queue.length = 0
    this.queuedBytes = 0
    this.queuedUnits = 0
  }

  info(): ConsumerInfo {
    return {
      ...this.counters,
      consumer: this.consumer,
      group: this.opts.group,
      needs: this.opts.needs,
      busy: this.inflight,
      queuedUnits: this.queuedUnits,
      queuedBytes: this.queuedBytes,
      skipping: this.skipping && this.currentInit !== undefined,
    }
  }
}

/**
 * The domain event stream (`app.domainEvents`): committed facts, delivered synchronously to every
 * subscriber in publish (= commit) order. Writers publish right after their transaction commits and before
 * they acknowledge, so a cache is invalidated before a client can read its own write.
 *
 * - A subscriber that throws is logged (aggregated: one line per subscriber per interval) and counted; the
 *   publisher and the other subscribers never see the error.
 * - An event published from inside a subscriber is queued and delivered after the current one to everyone,
 *   so every subscriber sees the same order.
 */
import type { DomainEvent, DomainEventOf, DomainEventType } from '../../shared/events/domain-events'

export interface DomainStreamLog {
  error(obj: object, msg: string): void
}

export interface DomainStreamStats {
  published: number
  byType: Partial<Record<DomainEventType, number>>
  subscribers: number
  /** Errors thrown by subscribers, by subscriber name. */
  subscriberErrors: Record<string, number>
}

interface Subscriber {
  name: string
  type: DomainEventType | '*'
  handler: (e: DomainEvent) => void
}

/** A failing subscriber logs at most once per this interval (with the count since the last line). */
const ERROR_LOG_INTERVAL_MS = 10_000
/** Events published from inside subscribers beyond this depth indicate a loop: refuse them. */
const MAX_QUEUED = 100_000

export class DomainEventStream {
  private subs: Subscriber[] = []
  private readonly queue: DomainEvent[] = []
  private delivering = false
  private published = 0
  private readonly byType: Partial<Record<DomainEventType, number>> = {}
  private readonly errors = new Map<string, { total: number; unlogged: number; loggedAt: number }>()

  constructor(private readonly log: DomainStreamLog) {}

  /** Subscribes to one type of event; returns the unsubscribe function. `name` labels errors and metrics. */
  on<K extends DomainEventType>(type: K, name: string, handler: (e: DomainEventOf<K>) => void): () => void {
    return this.add({ name, type, handler: handler as (e: DomainEvent) => void })
  }

  /** Subscribes to every event. */
  onAny(name: string, handler: (e: DomainEvent) => void): () => void {
    return this.add({ name, type: '*', handler })
  }

  /** Publishes committed facts, in order. Call only after the transaction holding them committed. */
  publish(...events: DomainEvent[]): void {
    for (const e of events) {
      if (this.queue.length >= MAX_QUEUED) {
        this.fail('domain-stream', new Error(`event queue over ${MAX_QUEUED}: a subscriber loop?`), e)
        return
      }
      this.queue.push(e)
    }
    if (this.delivering) return
    this.delivering = true
    try {
      let e: DomainEvent | undefined
      while ((e = this.queue.shift()) !== undefined) this.deliver(e)
    } finally {
      this.delivering = false
    }
  }

  stats(): DomainStreamStats {
    const subscriberErrors: Record<string, number> = {}
    for (const [name, e] of this.errors) subscriberErrors[name] = e.total
    return {
      published: this.published,
      byType: { ...this.byType },
      subscribers: this.subs.length,
      subscriberErrors,
    }
  }

  private add(sub: Subscriber): () => void {
    // Copy on write: a subscriber added or removed during delivery takes effect from the next event.
    this.subs = [...this.subs, sub]
    return () => {
      this.subs = this.subs.filter((s) => s !== sub)
    }
  }

  private deliver(e: DomainEvent): void {
    this.published++
    this.byType[e.type] = (this.byType[e.type] ?? 0) + 1
    for (const s of this.subs) {
      if (s.type !== '*' && s.type !== e.type) continue
      try {
        s.handler(e)
      } catch (err) {
        this.fail(s.name, err, e)
      }
    }
  }

  private fail(name: string, err: unknown, e: DomainEvent): void {
    const now = Date.now()
    let rec = this.errors.get(name)
    if (!rec) {
      rec = { total: 0, unlogged: 0, loggedAt: 0 }
      this.errors.set(name, rec)
    }
    rec.total++
    rec.unlogged++
    if (now - rec.loggedAt < ERROR_LOG_INTERVAL_MS) return
    try {
      this.log.error(
        { err, subscriber: name, event: e.type, failures: rec.unlogged, total: rec.total },
        'domain event subscriber failed',
      )
    } catch {
      // A broken logger must not break delivery either.
    }
    rec.loggedAt = now
    rec.unlogged = 0
  }
}

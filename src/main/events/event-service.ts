/**
 * Records station events (camera/device offline and online, buzzer failures, queue overload) through a
 * small group-commit queue whose transactions run on the writer thread ('events.insert'): `record()`
 * resolves with the stored event only after it is committed and published on the domain event stream. Guards
 * acknowledge events (on the main connection: rare); the first acknowledgement is kept.
 */
import type { QueueConfig } from '../config'
import { GroupCommitQueue } from '../queues/group-commit-queue'
import type { EventService, NewEvent } from '../services'
import type { DomainEventStream } from './domain-stream'
import type { Writer } from '../database/writer'
import type { StationEvent } from '../../shared/schemas/entities'
import type { EventDraft, EventsRepository } from './events-repository'

/** Events are few: a short wait, small batches, a modest bound. */
export const EVENTS_QUEUE: QueueConfig = { maxWaitMs: 100, batchSize: 500, maxPending: 10_000 }
/** At most one `queue.overload` event per queue in this window. */
export const OVERLOAD_EVENT_INTERVAL_MS = 60_000
export const MAX_EVENT_MESSAGE = 500

interface Pending {
  draft: EventDraft
  id: number
}

interface Log {
  warn: (obj: object, msg: string) => void
  error: (obj: object, msg: string) => void
}

export class StationEventService implements EventService {
  readonly queue: GroupCommitQueue<Pending>
  private readonly lastOverload = new Map<string, number>()

  constructor(
    private readonly deps: {
      repo: EventsRepository
      writer: Writer
      domainEvents: DomainEventStream
      log: Log
      queueConfig?: QueueConfig
      now?: () => number
    },
  ) {
    this.queue = new GroupCommitQueue<Pending>(
      'events',
      deps.queueConfig ?? EVENTS_QUEUE,
      (items) => this.commit(items),
      { onError: (err) => deps.log.error({ err }, 'events write failed') },
    )
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now()
  }

  private async commit(items: Pending[]): Promise<void> {
    const ids = await this.deps.writer.run(
      'events.insert',
      items.map((i) => i.draft),
    )
    items.forEach((item, i) => (item.id = ids[i]!))
    // Committed: tell every subscriber (caches, live channel, rules). Nothing here may undo the commit.
    this.deps.domainEvents.publish({ type: 'event.recorded', events: items.map(toStored) })
  }

  async record(e: NewEvent): Promise<StationEvent> {
    const item: Pending = {
      draft: {
        ts: this.now(),
        type: e.type,
        severity: e.severity,
        sourceKind: e.sourceKind,
        sourceId: e.sourceId,
        message: e.message.slice(0, MAX_EVENT_MESSAGE),
      },
      id: 0,
    }
    await this.queue.enqueue([item])
    return toStored(item)
  }

  /**
   * Acknowledges an event: undefined when unknown. A second acknowledgement changes nothing: the first
   * one (who, when, note) is kept and `recorded` is false.
   */
  acknowledge(
    id: number,
    by: string,
    note: string | undefined,
  ): { event: StationEvent; recorded: boolean } | undefined {
    const recorded = this.deps.repo.acknowledge(id, by, note ?? null, this.now())
    const event = this.deps.repo.get(id)
    if (!event) return undefined
    if (recorded) this.deps.domainEvents.publish({ type: 'event.acknowledged', event })
    return { event, recorded }
  }

  /**
   * Acknowledges many events in one transaction (the guard's "acknowledge all"): each one this call
   * acknowledged is published, as a single acknowledgement would be. Unknown ids are left out.
   */
  acknowledgeMany(
    ids: readonly number[],
    by: string,
    note: string | undefined,
  ): { events: StationEvent[]; acknowledged: number } {
    const done = new Set(this.deps.repo.acknowledgeMany(ids, by, note ?? null, this.now()))
    const events: StationEvent[] = []
    for (const id of ids) {
      const event = this.deps.repo.get(id)
      if (!event) continue
      events.push(event)
      if (done.has(id)) this.deps.domainEvents.publish({ type: 'event.acknowledged', event })
    }
    return { events, acknowledged: done.size }
  }

  /** A rule raised an alarm from this event: the event links to it (the first link is kept). */
  linkAlarm(id: number, alarmId: number): StationEvent | undefined {
    if (!this.deps.repo.linkAlarm(id, alarmId)) return undefined
    const event = this.deps.repo.get(id)
    if (event) this.deps.domainEvents.publish({ type: 'event.linked', event })
    return event
  }

  /** A write queue refused work: record it, at most once per queue per minute. */
  noteOverload(queue: string): void {
    const now = this.now()
    const last = this.lastOverload.get(queue)
    if (last !== undefined && now - last < OVERLOAD_EVENT_INTERVAL_MS) return
    this.lastOverload.set(queue, now)
    this.record({
      type: 'queue.overload',
      severity: 'warning',
      sourceKind: 'queue',
      sourceId: queue,
      message: `The ${queue} write queue is full: new writes are refused (503, Retry-After) until it drains`,
    }).catch((err: unknown) => this.deps.log.warn({ err, queue }, 'could not record queue overload event'))
  }
}

const toStored = (item: Pending): StationEvent => ({
  id: item.id,
  ...item.draft,
  ackedAt: null,
  ackedBy: null,
  ackNote: null,
  alarmId: null,
})

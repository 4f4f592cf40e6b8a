/**
 * The Prometheus figures observed as things happen: histograms of HTTP response times, read pool waits
 * and queries, writer operations, write-queue commits and video relay latency, and the HTTP responses
 * counter. Each histogram's buckets fit its figure (seconds, base units). The parts of the station that
 * time things take plain observer functions (read-pool.ts `ReadObserver`, writer.ts `WriteObserver`,
 * group-commit-queue.ts `onFlush`, the video hub's `observeRelay`) and never see prom-client.
 *
 * Figures that are snapshots of state (queue depth, sockets, cameras online) are read at scrape time
 * instead: see ./state-metrics.ts.
 */
import { Counter, Histogram, type Registry } from 'prom-client'
import type { ReadObserver } from '../database/read-pool'
import type { WriteObserver } from '../database/writer'
import type { FlushTiming } from '../queues/group-commit-queue'
import type { StatusClass } from './route-metrics'

const s = (ms: number) => ms / 1000

/** A LAN API: cache hits answer in well under a millisecond, exports may take seconds. */
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/** Frame arrival to a viewer's socket: tens of microseconds when all is well. */
const RELAY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
/** Waiting for a read connection: none while the pool keeps up. */
const READ_WAIT_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5]
/** Point reads take microseconds; history and aggregate reads up to seconds. */
const QUERY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]
/** A transaction and its commit (an fsync with synchronous=FULL). */
const COMMIT_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
]
/** Queue waits are bounded by each queue's maxWaitMs (100-200 ms by default). */
const QUEUE_WAIT_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5]
/** Items per commit: one when idle, up to the queue's batch size under load. */
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000]

export class Instruments {
  private readonly httpDuration: Histogram<'method' | 'route'>
  private readonly httpResponses: Counter<'method' | 'route' | 'status_class'>
  private readonly readWait: Histogram
  private readonly readQuery: Histogram<'query'>
  private readonly writerOp: Histogram<'op'>
  private readonly writerRoundTrip: Histogram<'op'>
  private readonly queueFlush: Histogram<'queue'>
  private readonly queueWait: Histogram<'queue'>
  private readonly queueItems: Histogram<'queue'>
  private readonly relayLatency: Histogram

  constructor(registry: Registry) {
    const registers = [registry]
    this.httpDuration = new Histogram({
      name: 'station_http_request_duration_seconds',
      help: 'Response time per route, from receiving the request to sending the answer',
      labelNames: ['method', 'route'],
      buckets: HTTP_BUCKETS,
      registers,
    })
    this.httpResponses = new Counter({
      name: 'station_http_responses_total',
      help: 'Responses per route and status class',
      labelNames: ['method', 'route', 'status_class'],
      registers,
    })
    this.readWait = new Histogram({
      name: 'station_read_pool_wait_seconds',
      help: 'Time a read waited for a read pool connection',
      buckets: READ_WAIT_BUCKETS,
      registers,
    })
    this.readQuery = new Histogram({
      name: 'station_read_pool_query_duration_seconds',
      help: 'Time a named read query ran on its read pool connection',
      labelNames: ['query'],
      buckets: QUERY_BUCKETS,
      registers,
    })
    this.writerOp = new Histogram({
      name: 'station_writer_op_duration_seconds',
      help: 'Time inside a write operation on the writer (transaction and commit)',
      labelNames: ['op'],
      buckets: COMMIT_BUCKETS,
      registers,
    })
    this.writerRoundTrip = new Histogram({
      name: 'station_writer_round_trip_seconds',
      help: 'Time from sending a write operation to its answer (waiting for the writer included)',
      labelNames: ['op'],
      buckets: [...COMMIT_BUCKETS, 5],
      registers,
    })
    this.queueFlush = new Histogram({
      name: 'station_queue_flush_duration_seconds',
      help: 'Time to commit one flush of a write queue',
      labelNames: ['queue'],
      buckets: COMMIT_BUCKETS,
      registers,
    })
    this.queueWait = new Histogram({
      name: 'station_queue_wait_seconds',
      help: 'Time the oldest item of a flush waited in its write queue before the flush started',
      labelNames: ['queue'],
      buckets: QUEUE_WAIT_BUCKETS,
      registers,
    })
    this.queueItems = new Histogram({
      name: 'station_queue_flush_items',
      help: 'Items committed per flush of a write queue',
      labelNames: ['queue'],
      buckets: BATCH_BUCKETS,
      registers,
    })
    this.relayLatency = new Histogram({
      name: 'station_video_relay_latency_seconds',
      help: 'Time from a camera frame arriving to a viewer socket taking it',
      buckets: RELAY_BUCKETS,
      registers,
    })
  }

  /** One HTTP answer; `route` is the route pattern (a bounded set: see RouteMetrics). */
  http(method: string, route: string, statusClass: StatusClass, ms: number): void {
    this.httpDuration.observe({ method, route }, s(ms))
    this.httpResponses.inc({ method, route, status_class: statusClass })
  }

  readonly read: ReadObserver = (t) => {
    this.readWait.observe(s(t.waitMs))
    this.readQuery.observe({ query: t.query }, s(t.queryMs))
  }

  readonly write: WriteObserver = (t) => {
    this.writerOp.observe({ op: t.op }, s(t.opMs))
    this.writerRoundTrip.observe({ op: t.op }, s(t.roundTripMs))
  }

  /** A queue's series exist from its registration on, with zero counts until its first flush. */
  queueRegistered(queue: string): void {
    for (const h of [this.queueFlush, this.queueWait, this.queueItems]) h.zero({ queue })
  }

  readonly flush = (t: FlushTiming): void => {
    const queue = t.queue
    this.queueFlush.observe({ queue }, s(t.flushMs))
    this.queueWait.observe({ queue }, s(Math.max(0, t.waitMs)))
    this.queueItems.observe({ queue }, t.items)
  }

  readonly relay = (ms: number): void => {
    this.relayLatency.observe(s(ms))
  }
}

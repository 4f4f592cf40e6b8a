/** The metrics snapshot in the Prometheus text exposition format (version 0.0.4). */
import type { RouteMetrics } from './route-metrics'
import type { MetricsSnapshot } from './snapshot'

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

type Labels = Record<string, string>

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
const fmt = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN')
const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()

class Writer {
  private readonly lines: string[] = []

  family(name: string, type: 'gauge' | 'counter' | 'histogram' | 'summary', help: string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    return this
  }

  sample(name: string, value: number, labels?: Labels): this {
    const l = labels
      ? `{${Object.entries(labels)
          .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
          .join(',')}}`
      : ''
    this.lines.push(`${name}${l} ${fmt(value)}`)
    return this
  }

  /** One family, one sample per item. */
  each<T>(
    name: string,
    type: 'gauge' | 'counter',
    help: string,
    items: readonly T[],
    value: (t: T) => number,
    labels: (t: T) => Labels,
  ): this {
    if (items.length === 0) return this
    this.family(name, type, help)
    for (const t of items) this.sample(name, value(t), labels(t))
    return this
  }

  toString(): string {
    return this.lines.join('\n') + '\n'
  }
}

export function toPrometheus(s: MetricsSnapshot, routes: RouteMetrics): string {
  const w = new Writer()
  const P = 'station_'
  w.family(`${P}uptime_seconds`, 'gauge', 'Seconds since the station started').sample(
    `${P}uptime_seconds`,
    s.uptimeSeconds,
  )
  w.family(`${P}memory_bytes`, 'gauge', 'Process memory by kind')
  for (const [kind, v] of Object.entries(s.memory)) w.sample(`${P}memory_bytes`, v, { kind: snake(kind) })

  const loop = s.eventLoopDelay
  w.family(`${P}event_loop_delay_seconds`, 'summary', 'Event-loop delay over the current window')
  w.sample(`${P}event_loop_delay_seconds`, loop.p50Ms / 1000, { quantile: '0.5' })
  w.sample(`${P}event_loop_delay_seconds`, loop.p99Ms / 1000, { quantile: '0.99' })
  w.sample(`${P}event_loop_delay_seconds`, loop.maxMs / 1000, { quantile: '1' })

  const ws = s.websockets
  w.family(`${P}websocket_connections`, 'gauge', 'Open WebSocket connections')
  w.sample(`${P}websocket_connections`, ws.open, { kind: 'all' })
  w.sample(`${P}websocket_connections`, ws.live.subscribers, { kind: 'live' })
  if (ws.devices) w.sample(`${P}websocket_connections`, ws.devices.connected, { kind: 'device' })
  w.family(`${P}websocket_max_connections`, 'gauge', 'WebSocket connection limit').sample(
    `${P}websocket_max_connections`,
    ws.max,
  )
  if (ws.devices) {
    w.family(`${P}devices`, 'gauge', 'Devices known and online')
    w.sample(`${P}devices`, ws.devices.known, { state: 'known' })
    w.sample(`${P}devices`, ws.devices.online, { state: 'online' })
  }
  for (const [key, help] of [
    ['published', 'Live messages published'],
    ['dropped', 'Live messages skipped for slow subscribers'],
    ['slowDisconnects', 'Live subscribers disconnected for being too slow'],
  ] as const) {
    const name = `${P}live_${snake(key)}_total`
    w.family(name, 'counter', help).sample(name, ws.live[key] ?? 0)
  }

  const hist = `${P}http_request_duration_seconds`
  const all = [...routes.stats()]
  if (all.length > 0) {
    w.family(hist, 'histogram', 'Response time per route')
    for (const r of all) {
      const base = { method: r.method, route: r.route }
      for (const b of r.histogram.cumulative()) {
        w.sample(`${hist}_bucket`, b.count, {
          ...base,
          le: b.leMs === Infinity ? '+Inf' : fmt(b.leMs / 1000),
        })
      }
      w.sample(`${hist}_sum`, r.histogram.sumMs / 1000, base)
      w.sample(`${hist}_count`, r.histogram.count, base)
    }
    w.family(`${P}http_responses_total`, 'counter', 'Responses per route and status class')
    for (const r of all) {
      for (const [cls, n] of Object.entries(r.byClass)) {
        w.sample(`${P}http_responses_total`, n, { method: r.method, route: r.route, status: cls })
      }
    }
  }

  const q = s.queues
  const byQueue = (t: { name: string }) => ({ queue: t.name })
  w.each(`${P}queue_pending`, 'gauge', 'Writes waiting to commit', q, (t) => t.pending, byQueue)
  w.each(
    `${P}queue_max_pending`,
    'gauge',
    'Bound past which writes are refused',
    q,
    (t) => t.maxPending,
    byQueue,
  )
  w.each(`${P}queue_committed_total`, 'counter', 'Items committed', q, (t) => t.committed, byQueue)
  w.each(`${P}queue_flushes_total`, 'counter', 'Transactions committed', q, (t) => t.flushes, byQueue)
  w.each(
    `${P}queue_rejected_total`,
    'counter',
    'Writes refused (queue full)',
    q,
    (t) => t.rejectedFull,
    byQueue,
  )
  w.each(
    `${P}queue_failed_total`,
    'counter',
    'Groups whose transaction failed',
    q,
    (t) => t.failedGroups,
    byQueue,
  )
  w.each(
    `${P}queue_last_batch_items`,
    'gauge',
    'Items in the last flush',
    q,
    (t) => t.lastBatchItems,
    byQueue,
  )
  w.each(`${P}queue_flush_seconds_avg`, 'gauge', 'Mean flush time', q, (t) => t.avgFlushMs / 1000, byQueue)
  w.each(`${P}queue_flush_seconds_max`, 'gauge', 'Longest flush time', q, (t) => t.maxFlushMs / 1000, byQueue)
  w.each(
    `${P}queue_wait_seconds_last`,
    'gauge',
    'Longest wait in the last flush',
    q,
    (t) => t.lastWaitMs / 1000,
    byQueue,
  )

  const pool = s.readPool
  w.family(`${P}read_pool_connections`, 'gauge', 'Read pool connections by state')
  w.sample(`${P}read_pool_connections`, pool.inUse, { state: 'in_use' })
  w.sample(`${P}read_pool_connections`, pool.available, { state: 'available' })
  w.family(`${P}read_pool_queued`, 'gauge', 'Reads waiting for a connection').sample(
    `${P}read_pool_queued`,
    pool.queued,
  )
  w.family(`${P}read_pool_reads_total`, 'counter', 'Reads served by the pool')
  w.sample(`${P}read_pool_reads_total`, pool.readsServed, { result: 'ok' })
  w.sample(`${P}read_pool_reads_total`, pool.readsFailed, { result: 'failed' })
  w.family(`${P}read_pool_timeouts_total`, 'counter', 'Reads stopped at the read timeout').sample(
    `${P}read_pool_timeouts_total`,
    pool.readsTimedOut,
  )
  w.family(
    `${P}read_pool_restarts_total`,
    'counter',
    'Read workers started again after dying or a timeout',
  ).sample(`${P}read_pool_restarts_total`, pool.restarts)
  w.family(`${P}read_pool_queue_wait_seconds_avg`, 'gauge', 'Mean wait for a read connection').sample(
    `${P}read_pool_queue_wait_seconds_avg`,
    pool.avgQueueWaitMs / 1000,
  )

  const wr = s.writer
  w.family(`${P}writer_ops_total`, 'counter', 'Write operations on the writer').sample(
    `${P}writer_ops_total`,
    wr.ops,
    { result: 'ok' },
  )
  w.sample(`${P}writer_ops_total`, wr.failed, { result: 'failed' })
  w.family(`${P}writer_in_flight`, 'gauge', 'Write operations sent and not yet answered').sample(
    `${P}writer_in_flight`,
    wr.inFlight,
  )
  w.family(`${P}writer_op_seconds_avg`, 'gauge', 'Mean time inside a write operation').sample(
    `${P}writer_op_seconds_avg`,
    wr.avgOpMs / 1000,
  )
  w.family(
    `${P}writer_round_trip_seconds_avg`,
    'gauge',
    'Mean time from sending a write to its answer',
  ).sample(`${P}writer_round_trip_seconds_avg`, wr.avgRoundTripMs / 1000)
  w.family(`${P}writer_restarts_total`, 'counter', 'Writer thread restarts').sample(
    `${P}writer_restarts_total`,
    wr.restarts,
  )

  const dc = s.domainCaches
  const byCache = (c: { name: string }) => ({ cache: c.name })
  w.each(`${P}domain_cache_entries`, 'gauge', 'Entries in each domain cache', dc, (c) => c.size, byCache)
  w.each(`${P}domain_cache_hits_total`, 'counter', 'Domain cache hits', dc, (c) => c.hits, byCache)
  w.each(`${P}domain_cache_misses_total`, 'counter', 'Domain cache misses', dc, (c) => c.misses, byCache)

  const cams = s.video?.cameras ?? []
  const byCamera = (c: { id: number; name: string; kind: string }) => ({
    camera_id: String(c.id),
    camera: c.name,
    kind: c.kind,
  })
  w.each(
    `${P}camera_online`,
    'gauge',
    'Camera online (frames arriving): 1, or 0',
    cams,
    (c) => (c.online ? 1 : 0),
    byCamera,
  )
  w.each(
    `${P}camera_fps_in`,
    'gauge',
    'Frames per second received from the camera',
    cams,
    (c) => c.fpsIn,
    byCamera,
  )
  w.each(`${P}camera_viewers`, 'gauge', 'Viewers watching the camera', cams, (c) => c.viewers.total, byCamera)
  const withFrame = cams.filter((c) => c.lastFrameAgeMs !== null)
  w.each(
    `${P}camera_last_frame_age_seconds`,
    'gauge',
    'Seconds since the camera last sent a frame (absent before the first frame)',
    withFrame,
    (c) => (c.lastFrameAgeMs ?? 0) / 1000,
    byCamera,
  )
  w.each(
    `${P}camera_bytes_in_per_second`,
    'gauge',
    'Bytes per second received from the camera',
    cams,
    (c) => c.bytesInPerSec,
    byCamera,
  )
  w.each(
    `${P}camera_frames_in_total`,
    'counter',
    'Frames received from the camera',
    cams,
    (c) => c.framesIn,
    byCamera,
  )
  w.each(
    `${P}camera_frames_skipped_total`,
    'counter',
    'Frames slow viewers skipped (latest frame wins)',
    cams,
    (c) => c.framesSkipped,
    byCamera,
  )
  w.each(
    `${P}camera_reconnects_total`,
    'counter',
    'Reconnections to a pull camera',
    cams,
    (c) => c.reconnects,
    byCamera,
  )
  if (s.video) {
    w.family(`${P}video_viewers`, 'gauge', 'Open video viewers across the station')
    w.sample(`${P}video_viewers`, s.video.viewers, { kind: 'open' })
    w.sample(`${P}video_viewers`, s.video.maxViewers, { kind: 'max' })
  }

  // The response cache's numeric figures, whatever it reports (hits, misses, size, hitRate...).
  if (s.responseCache && typeof s.responseCache === 'object') {
    for (const [k, v] of Object.entries(s.responseCache as Record<string, unknown>)) {
      if (typeof v !== 'number') continue
      const name = `${P}response_cache_${snake(k)}`
      w.family(name, 'gauge', `Response cache ${k}`).sample(name, v)
    }
  }
  return w.toString()
}

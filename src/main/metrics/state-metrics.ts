/**
 * The Prometheus figures read at scrape time (prom-client `collect()` callbacks): gauges for snapshots of
 * state (queue depth, sockets, cameras online, cache entries) and counters mirrored from the station's
 * own monotonic counts (items committed, cache hits, frames received). One metrics snapshot serves a
 * whole scrape: prom-client runs every `collect()` of a scrape in one synchronous stretch.
 */
import { Counter, Gauge, type Registry } from 'prom-client'
import type { MetricsSnapshot } from './snapshot'

type Sample<L extends string> = readonly [labels: Partial<Record<L, string | number>>, value: number]

interface Family<L extends string> {
  name: string
  help: string
  labels?: readonly L[]
  read: (m: MetricsSnapshot) => Iterable<Sample<L>>
}

/** Calls `read` at most once per synchronous stretch (one scrape). */
function perScrape<T>(read: () => T): () => T {
  let memo: { value: T } | undefined
  return () => {
    if (!memo) {
      memo = { value: read() }
      queueMicrotask(() => {
        memo = undefined
      })
    }
    return memo.value
  }
}

const one = (value: number): Sample<never>[] => [[{}, value]]

export function registerStateMetrics(
  registry: Registry,
  snapshot: () => MetricsSnapshot,
  startedAt: number,
): void {
  const current = perScrape(snapshot)
  const registers = [registry]

  const gauge = <L extends string>(f: Family<L>) =>
    new Gauge<L>({
      name: f.name,
      help: f.help,
      labelNames: f.labels ?? [],
      registers,
      collect() {
        this.reset()
        for (const [labels, value] of f.read(current())) this.set(labels, value)
      },
    })
  // A counter mirrors a count the station keeps (monotonic since the station started).
  const counter = <L extends string>(f: Family<L>) =>
    new Counter<L>({
      name: f.name,
      help: f.help,
      labelNames: f.labels ?? [],
      registers,
      collect() {
        this.reset()
        for (const [labels, value] of f.read(current())) this.inc(labels, value)
      },
    })

  new Gauge({
    name: 'station_start_time_seconds',
    help: 'When the station started, in seconds since the Unix epoch',
    registers,
  }).set(startedAt / 1000)

  // WebSockets and the live channel.
  gauge({
    name: 'station_websocket_connections',
    help: 'Open WebSocket connections (live channel, devices, video viewers)',
    read: (m) => one(m.websockets.open),
  })
  gauge({
    name: 'station_websocket_connections_limit',
    help: 'WebSocket connections past which new ones are refused',
    read: (m) => one(m.websockets.max),
  })
  gauge({
    name: 'station_live_subscribers',
    help: 'Subscribers of the live channel (/ws/live and in-process)',
    read: (m) => one(m.websockets.live.subscribers),
  })
  gauge({
    name: 'station_live_buffered_bytes',
    help: 'Bytes waiting in live subscribers’ socket buffers',
    read: (m) => one(m.websockets.live.bufferedBytes),
  })
  for (const [key, name, help] of [
    ['published', 'station_live_published_total', 'Live messages published'],
    ['dropped', 'station_live_dropped_total', 'Live messages skipped for slow subscribers'],
    ['slowDisconnects', 'station_live_slow_disconnects_total', 'Live subscribers disconnected as too slow'],
    ['deadDisconnects', 'station_live_dead_disconnects_total', 'Live subscribers disconnected as dead'],
    ['resyncs', 'station_live_resyncs_total', 'Live subscribers told to reload after missed messages'],
  ] as const) {
    counter({ name, help, read: (m) => one(m.websockets.live[key]) })
  }

  // Devices.
  const devices = (
    m: MetricsSnapshot,
    pick: (d: NonNullable<MetricsSnapshot['websockets']['devices']>) => number,
  ) => (m.websockets.devices ? one(pick(m.websockets.devices)) : [])
  gauge({
    name: 'station_devices',
    help: 'Devices known to the station',
    read: (m) => devices(m, (d) => d.known),
  })
  gauge({ name: 'station_devices_online', help: 'Devices online', read: (m) => devices(m, (d) => d.online) })
  gauge({
    name: 'station_device_connections',
    help: 'Devices connected over WebSocket',
    read: (m) => devices(m, (d) => d.connected),
  })

  // Write queues.
  const perQueue = (value: (q: MetricsSnapshot['queues'][number]) => number) => (m: MetricsSnapshot) =>
    m.queues.map((q): Sample<'queue'> => [{ queue: q.name }, value(q)])
  const q = { labels: ['queue'] as const }
  gauge({
    ...q,
    name: 'station_queue_pending',
    help: 'Writes not yet committed',
    read: perQueue((x) => x.pending),
  })
  gauge({
    ...q,
    name: 'station_queue_in_flight',
    help: 'Writes in the flush being committed',
    read: perQueue((x) => x.inFlight),
  })
  gauge({
    ...q,
    name: 'station_queue_pending_limit',
    help: 'Pending writes past which the queue refuses new ones (503)',
    read: perQueue((x) => x.maxPending),
  })
  counter({
    ...q,
    name: 'station_queue_enqueued_total',
    help: 'Items queued',
    read: perQueue((x) => x.enqueued),
  })
  counter({
    ...q,
    name: 'station_queue_committed_total',
    help: 'Items committed',
    read: perQueue((x) => x.committed),
  })
  counter({
    ...q,
    name: 'station_queue_flushes_total',
    help: 'Transactions committed',
    read: perQueue((x) => x.flushes),
  })
  counter({
    ...q,
    name: 'station_queue_rejected_total',
    help: 'Writes refused because the queue was full',
    read: perQueue((x) => x.rejectedFull),
  })
  counter({
    ...q,
    name: 'station_queue_failed_total',
    help: 'Groups of writes whose transaction failed',
    read: perQueue((x) => x.failedGroups),
  })

  // Read pool and writer.
  gauge({
    name: 'station_read_pool_connections',
    help: 'Read pool connections by state',
    labels: ['state'],
    read: (m) => [
      [{ state: 'in_use' }, m.readPool.inUse],
      [{ state: 'available' }, m.readPool.available],
    ],
  })
  gauge({
    name: 'station_read_pool_queued',
    help: 'Reads waiting for a read pool connection',
    read: (m) => one(m.readPool.queued),
  })
  counter({
    name: 'station_read_pool_reads_total',
    help: 'Reads the read pool ran, by result',
    labels: ['result'],
    read: (m) => [
      [{ result: 'ok' }, m.readPool.readsServed],
      [{ result: 'failed' }, m.readPool.readsFailed],
    ],
  })
  counter({
    name: 'station_read_pool_timeouts_total',
    help: 'Reads that ran past the read timeout (their worker was replaced)',
    read: (m) => one(m.readPool.readsTimedOut ?? 0),
  })
  counter({
    name: 'station_read_pool_restarts_total',
    help: 'Read workers started again after one died or was stopped',
    read: (m) => one(m.readPool.restarts ?? 0),
  })
  counter({
    name: 'station_writer_ops_total',
    help: 'Write operations on the writer, by result',
    labels: ['result'],
    read: (m) => [
      [{ result: 'ok' }, m.writer.ops],
      [{ result: 'failed' }, m.writer.failed],
    ],
  })
  gauge({
    name: 'station_writer_in_flight',
    help: 'Write operations sent to the writer and not yet answered',
    read: (m) => one(m.writer.inFlight),
  })
  counter({
    name: 'station_writer_restarts_total',
    help: 'Times the writer thread was started again after it died',
    read: (m) => one(m.writer.restarts),
  })

  // Caches.
  const perCache = (value: (c: MetricsSnapshot['domainCaches'][number]) => number) => (m: MetricsSnapshot) =>
    m.domainCaches.map((c): Sample<'cache'> => [{ cache: c.name }, value(c)])
  const c = { labels: ['cache'] as const }
  gauge({
    ...c,
    name: 'station_domain_cache_entries',
    help: 'Entries in a domain cache',
    read: perCache((x) => x.size),
  })
  gauge({
    ...c,
    name: 'station_domain_cache_entries_limit',
    help: 'Entries a domain cache holds at most',
    read: perCache((x) => x.max),
  })
  counter({
    ...c,
    name: 'station_domain_cache_hits_total',
    help: 'Domain cache hits',
    read: perCache((x) => x.hits),
  })
  counter({
    ...c,
    name: 'station_domain_cache_misses_total',
    help: 'Domain cache misses',
    read: perCache((x) => x.misses),
  })
  const response =
    (pick: (r: NonNullable<MetricsSnapshot['responseCache']>) => number) => (m: MetricsSnapshot) =>
      m.responseCache ? one(pick(m.responseCache)) : []
  gauge({
    name: 'station_response_cache_entries',
    help: 'Answers in the API response cache',
    read: response((r) => r.size),
  })
  gauge({
    name: 'station_response_cache_entries_limit',
    help: 'Answers the API response cache holds at most',
    read: response((r) => r.maxSize),
  })
  for (const [key, help] of [
    ['hits', 'API response cache hits'],
    ['misses', 'API response cache misses'],
    ['sets', 'Answers stored in the API response cache'],
    ['evictions', 'Answers evicted from the API response cache to make room'],
    ['invalidations', 'Answers dropped from the API response cache by a committed write'],
  ] as const) {
    counter({ name: `station_response_cache_${key}_total`, help, read: response((r) => r[key]) })
  }

  // Live video, per camera. The camera's name is a label: a renamed camera starts new series.
  type Camera = NonNullable<MetricsSnapshot['video']>['cameras'][number]
  const cam = { labels: ['camera_id', 'camera', 'kind'] as const }
  const perCamera =
    (value: (c: Camera) => number | null) =>
    (m: MetricsSnapshot): Sample<'camera_id' | 'camera' | 'kind'>[] =>
      (m.video?.cameras ?? []).flatMap((x) => {
        const v = value(x)
        return v === null ? [] : [[{ camera_id: x.id, camera: x.name, kind: x.kind }, v] as const]
      })
  gauge({
    ...cam,
    name: 'station_camera_online',
    help: 'Camera online (frames arriving): 1, or 0',
    read: perCamera((x) => (x.online ? 1 : 0)),
  })
  gauge({
    ...cam,
    name: 'station_camera_fps_in',
    help: 'Frames per second received from the camera, over the last second',
    read: perCamera((x) => x.fpsIn),
  })
  gauge({
    ...cam,
    name: 'station_camera_bytes_in_per_second',
    help: 'Bytes per second received from the camera, over the last second',
    read: perCamera((x) => x.bytesInPerSec),
  })
  gauge({
    ...cam,
    name: 'station_camera_viewers',
    help: 'Viewers watching the camera',
    read: perCamera((x) => x.viewers.total),
  })
  gauge({
    ...cam,
    name: 'station_camera_last_frame_age_seconds',
    help: 'Seconds since the camera last sent a frame (absent before the first frame)',
    read: perCamera((x) => (x.lastFrameAgeMs === null ? null : x.lastFrameAgeMs / 1000)),
  })
  counter({
    ...cam,
    name: 'station_camera_frames_in_total',
    help: 'Frames received from the camera',
    read: perCamera((x) => x.framesIn),
  })
  counter({
    ...cam,
    name: 'station_camera_bad_frames_total',
    help: 'Frames from the camera that were refused (not a valid frame, or too large)',
    read: perCamera((x) => x.badFrames),
  })
  counter({
    ...cam,
    name: 'station_camera_frames_out_total',
    help: 'Frames sent to the camera’s viewers',
    read: perCamera((x) => x.framesOut),
  })
  counter({
    ...cam,
    name: 'station_camera_frames_skipped_total',
    help: 'Frames slow viewers skipped (latest frame wins)',
    read: perCamera((x) => x.framesSkipped),
  })
  counter({
    ...cam,
    name: 'station_camera_reconnects_total',
    help: 'Reconnections to a pull camera',
    read: perCamera((x) => x.reconnects),
  })
  gauge({
    name: 'station_video_viewers',
    help: 'Open video viewers across the station',
    read: (m) => (m.video ? one(m.video.viewers) : []),
  })
  gauge({
    name: 'station_video_viewers_limit',
    help: 'Open video viewers past which new ones are refused',
    read: (m) => (m.video ? one(m.video.maxViewers) : []),
  })
}

/** Statistics for admins: cache, read pool, write queues, WebSockets, memory and event-loop delay, live. */
import { useEffect } from 'react'
import { ErrorText, Loading } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { bytes, ms } from '../../util/format'
import { CachePanel } from './CachePanel'
import { StatsChart } from './StatsChart'
import { VideoPanel } from './VideoPanel'

/** How often the screen asks for figures (live stats also arrive every 5 s). */
export const STATS_POLL_MS = 3000

export function StatsScreen() {
  const s = useStationShallow((s) => ({
    metrics: s.metrics,
    cache: s.cacheStats,
    error: s.statsError,
    load: s.loadMetrics,
  }))
  const load = s.load
  useEffect(() => {
    void load()
    const t = setInterval(() => void load(), STATS_POLL_MS)
    return () => clearInterval(t)
  }, [load])

  const m = s.metrics
  return (
    <section className="stats" aria-label="Statistics">
      <div className="toolbar">
        <h1>Statistics</h1>
        {m ? <span className="muted">up {Math.round(m.uptimeSeconds / 60)} min</span> : null}
      </div>
      <ErrorText>{s.error}</ErrorText>
      <div className="stats-grid">
        <CachePanel stats={s.cache} />
        <StatsChart
          title="Cache hit rate and event-loop delay"
          testId="stats-chart-cache"
          fields={['hitRate', 'loopP99Ms']}
          series={[
            { label: 'hit rate', stroke: '#5ad28a', unit: '%' },
            { label: 'loop p99', stroke: '#ffb454', unit: 'ms' },
          ]}
        />
        <StatsChart
          title="Memory"
          fields={['rssMb', 'heapMb']}
          series={[
            { label: 'RSS', stroke: '#5aa9ff', unit: 'MiB' },
            { label: 'heap', stroke: '#c792ea', unit: 'MiB' },
          ]}
        />
        {!m ? (
          <Loading what="figures" />
        ) : (
          <>
            <VideoPanel video={m.video} />
            <div className="panel" data-testid="pool-panel">
              <h2>Read pool</h2>
              <dl className="figures">
                <div>
                  <dt>Mode</dt>
                  <dd>
                    {m.readPool.mode}, {m.readPool.size} workers
                  </dd>
                </div>
                <div>
                  <dt>In use</dt>
                  <dd>
                    {m.readPool.inUse} / {m.readPool.size}
                  </dd>
                </div>
                <div>
                  <dt>Queued</dt>
                  <dd>{m.readPool.queued}</dd>
                </div>
                <div>
                  <dt>Reads served</dt>
                  <dd>{m.readPool.readsServed}</dd>
                </div>
                <div>
                  <dt>Queue wait</dt>
                  <dd>
                    {ms(m.readPool.avgQueueWaitMs)} avg · {ms(m.readPool.maxQueueWaitMs)} max
                  </dd>
                </div>
                <div>
                  <dt>Query time</dt>
                  <dd>
                    {ms(m.readPool.avgQueryMs)} avg · {ms(m.readPool.maxQueryMs)} max
                  </dd>
                </div>
              </dl>
            </div>
            <div className="panel" data-testid="writer-panel">
              <h2>Writer</h2>
              <dl className="figures">
                <div>
                  <dt>Mode</dt>
                  <dd>{m.writer.mode === 'worker' ? 'writer thread' : 'main thread'}</dd>
                </div>
                <div>
                  <dt>Commits</dt>
                  <dd>
                    {m.writer.ops} ok · {m.writer.failed} failed
                  </dd>
                </div>
                <div>
                  <dt>In flight</dt>
                  <dd>{m.writer.inFlight}</dd>
                </div>
                <div>
                  <dt>Commit time</dt>
                  <dd>
                    {ms(m.writer.avgOpMs)} avg · {ms(m.writer.maxOpMs)} max
                  </dd>
                </div>
                <div>
                  <dt>Round trip</dt>
                  <dd>
                    {ms(m.writer.avgRoundTripMs)} avg · {ms(m.writer.maxRoundTripMs)} max
                  </dd>
                </div>
                <div>
                  <dt>Restarts</dt>
                  <dd>{m.writer.restarts}</dd>
                </div>
              </dl>
            </div>
            <div className="panel">
              <h2>Connections, memory, event loop</h2>
              <dl className="figures">
                <div>
                  <dt>WebSockets</dt>
                  <dd>
                    {m.websockets.open} / {m.websockets.max}
                  </dd>
                </div>
                <div>
                  <dt>Live subscribers</dt>
                  <dd>{m.websockets.live.subscribers}</dd>
                </div>
                <div>
                  <dt>Devices connected</dt>
                  <dd>
                    {m.websockets.devices
                      ? `${m.websockets.devices.connected} (${m.websockets.devices.online} online)`
                      : '–'}
                  </dd>
                </div>
                <div>
                  <dt>RSS</dt>
                  <dd>{bytes(m.memory.rss)}</dd>
                </div>
                <div>
                  <dt>Heap</dt>
                  <dd>
                    {bytes(m.memory.heapUsed)} / {bytes(m.memory.heapTotal)}
                  </dd>
                </div>
                <div>
                  <dt>Loop delay</dt>
                  <dd>
                    p50 {ms(m.eventLoopDelay.p50Ms)} · p99 {ms(m.eventLoopDelay.p99Ms)} · max{' '}
                    {ms(m.eventLoopDelay.maxMs)}
                  </dd>
                </div>
              </dl>
            </div>
            <div className="panel panel-wide">
              <h2>Write queues</h2>
              <table className="table" data-testid="queues-table">
                <thead>
                  <tr>
                    <th>Queue</th>
                    <th>Pending</th>
                    <th>Committed</th>
                    <th>Flushes</th>
                    <th>Last batch</th>
                    <th>Flush time (last / avg / max)</th>
                    <th>Refused (full)</th>
                  </tr>
                </thead>
                <tbody>
                  {m.queues.map((q) => (
                    <tr key={q.name}>
                      <td>{q.name}</td>
                      <td>
                        {q.pending} / {q.maxPending}
                      </td>
                      <td>{q.committed}</td>
                      <td>{q.flushes}</td>
                      <td>{q.lastBatchItems}</td>
                      <td>
                        {ms(q.lastFlushMs)} / {ms(q.avgFlushMs)} / {ms(q.maxFlushMs)}
                      </td>
                      <td className={q.rejectedFull > 0 ? 'bad' : ''}>{q.rejectedFull}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {m.http.routes.length ? (
              <div className="panel panel-wide">
                <h2>Slowest routes (p99)</h2>
                <table className="table">
                  <thead>
                    <tr>
                      <th>Route</th>
                      <th>Requests</th>
                      <th>p50</th>
                      <th>p99</th>
                      <th>Errors</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...m.http.routes]
                      .sort((a, b) => b.p99Ms - a.p99Ms)
                      .slice(0, 10)
                      .map((r) => (
                        <tr key={`${r.method} ${r.route}`}>
                          <td>
                            {r.method} {r.route}
                          </td>
                          <td>{r.count}</td>
                          <td>{ms(r.p50Ms)}</td>
                          <td>{ms(r.p99Ms)}</td>
                          <td>{r.byClass['4xx'] + r.byClass['5xx']}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </>
        )}
      </div>
    </section>
  )
}

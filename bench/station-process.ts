/**
 * A station alone in its own process (bundled by bench/station-child.ts and run under plain Node), so
 * the benchmark can measure its memory without the benchmark's own. Configured from the environment like
 * `npm run headless`; answers `mem`, `lag`, `count` and `stop` requests over IPC.
 */
import { loadConfig } from '../src/main/config'
import { createStation } from '../src/main/station'
import { LatencyHistogram } from '../src/main/metrics/histogram'

async function main() {
  const station = await createStation(loadConfig(process.env), { logger: false })
  const { url } = await station.start()
  const count = station.app.db.prepare('SELECT count(*) AS n FROM readings')

  // Event-loop delay: how late a 5 ms timer fires (reset by each `lag` request).
  const lag = new LatencyHistogram()
  let expected = performance.now() + 5
  const tick = () => {
    const now = performance.now()
    lag.record(Math.max(0, now - expected))
    expected = now + 5
    setTimeout(tick, 5).unref()
  }
  setTimeout(tick, 5).unref()

  process.on('message', (msg: { id: number; kind: 'mem' | 'lag' | 'count' | 'stop' }) => {
    if (msg.kind === 'mem') {
      process.send?.({ id: msg.id, result: process.memoryUsage() })
    } else if (msg.kind === 'lag') {
      process.send?.({ id: msg.id, result: lag.quantile(0.99) })
      lag.reset()
    } else if (msg.kind === 'count') {
      process.send?.({ id: msg.id, result: (count.get() as { n: number }).n })
    } else {
      void station.stop().then(() => {
        process.send?.({ id: msg.id, result: true })
        process.exit(0)
      })
    }
  })
  process.send?.({ id: 0, result: url })
}

main().catch((err) => {
  process.stderr.write(`station process failed: ${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})

/**
 * `npm run bench -- [--quick] [--sockets 10000] [--sync NORMAL] [--only cache,ingest,video,recording,retention]`: the station's
 * figures, each against a baseline measured in the same run, medians over several rounds. A benchmark,
 * not a test: it reports numbers. The load generator runs in a child process (bench/load-agent.ts), so
 * it does not share the station's event loop.
 */
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { LoadAgent } from './agent'
import { startBaseline, startStation, type BenchContext } from './setup'
import { na, renderTable, type Row } from './table'
import { cacheSection } from './sections/cache'
import { ingestSection } from './sections/ingest'
import { historySection } from './sections/history'
import { socketsSection } from './sections/sockets'
import { deflateSection } from './sections/deflate'
import { retentionSection } from './sections/retention'
import { motionSection } from './sections/motion'
import { alarmsSection } from './sections/alarms'
import { recordingSection } from './sections/recording'
import { videoSection } from './video'
import { videoRtspSection } from './sections/video-rtsp'

const SECTIONS = {
  cache: { title: 'Cached GET /api/cameras/active vs bare Fastify', run: cacheSection },
  ingest: { title: 'HTTP ingestion: single readings, group-commit knee, batches', run: ingestSection },
  history: { title: 'Pre-fill 1M readings; event-loop delay during history queries', run: historySection },
  sockets: { title: 'Device WebSockets: heartbeat acks and memory', run: socketsSection },
  deflate: { title: 'Live channel: per-message deflate on vs off', run: deflateSection },
  video: { title: 'Live video: push cameras relayed to viewers', run: videoSection },
  'video-rtsp': {
    title: 'Live video: RTSP/H.264 cameras, ffmpeg remux to fMP4 viewers',
    run: videoRtspSection,
  },
  recording: {
    title: 'Recording: 16 RTSP 1080p25 cameras recorded continuously while live-viewed',
    run: recordingSection,
  },
  retention: { title: 'Recording retention over 1M indexed segments', run: retentionSection },
  motion: { title: 'Motion detection: CPU per 1080p25 RTSP camera (640x360 sub stream)', run: motionSection },
  alarms: {
    title: 'Alarm engine: ingestion CPU with 1,000 rules, commit → alarm latency',
    run: alarmsSection,
  },
} as const
type SectionName = keyof typeof SECTIONS

const USAGE = `Usage: npm run bench -- [--quick] [--sockets N] [--rounds N] [--sync FULL|NORMAL] [--only ${Object.keys(SECTIONS).join(',')}]`

async function main() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      sockets: { type: 'string' },
      rounds: { type: 'string' },
      only: { type: 'string' },
      sync: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(USAGE + '\n')
    return
  }
  const quick = values.quick ?? false
  const sockets = Number(values.sockets ?? 2000)
  const rounds = Number(values.rounds ?? (quick ? 2 : 5))
  if (!Number.isInteger(sockets) || sockets < 1) throw new Error('--sockets must be a positive integer')
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer')
  const sync = (values.sync ?? 'FULL').toUpperCase()
  if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error('--sync must be FULL or NORMAL')
  const only = (values.only?.split(',').map((s) => s.trim()) ?? Object.keys(SECTIONS)) as SectionName[]
  for (const s of only) if (!(s in SECTIONS)) throw new Error(`unknown section "${s}"; ${USAGE}`)

  const log = (line: string) => process.stdout.write(`${line}\n`)
  const started = performance.now()
  log(
    `Guard Station benchmark (${quick ? 'quick' : 'full'}): Node ${process.version}, ${cpus().length} cores, ` +
      `${rounds} rounds per figure, medians reported`,
  )
  const agent = LoadAgent.start()
  const main = await startStation({
    STATION_WS_MAX: String(sockets + 1000),
    STATION_DB_SYNCHRONOUS: sync,
  })
  const baseline = await startBaseline()
  log(
    `station on ${main.url} (SQLite synchronous=${main.station.app.config.dbSynchronous}), baseline on :${baseline.port}, load agent pid ${agent.pid}`,
  )
  const ctx: BenchContext = {
    agent,
    main,
    baseline,
    quick,
    rounds,
    roundMs: quick ? 1500 : 3000,
    warmupMs: quick ? 300 : 500,
    sockets,
    rows: [] as Row[],
    notes: [] as string[],
    log,
  }
  try {
    for (const name of only) {
      const section = SECTIONS[name]
      log(`\n== ${section.title}`)
      const t = performance.now()
      try {
        await section.run(ctx)
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err)
        log(`  section failed: ${why}`)
        ctx.rows.push(na(section.title, '', `failed: ${why.slice(0, 80)}`))
      }
      log(`  (${((performance.now() - t) / 1000).toFixed(1)} s)`)
    }
  } finally {
    agent.stop()
    await baseline.app.close()
    await main.close()
  }
  log(
    `\nResults (${quick ? 'quick run: fewer, shorter rounds; noisy' : 'full run'}; ${((performance.now() - started) / 1000).toFixed(0)} s in all)\n`,
  )
  log(renderTable(ctx.rows))
  if (ctx.notes.length) {
    log('\nNotes:')
    for (const n of ctx.notes) log(`  - ${n}`)
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`)
    process.exit(1)
  },
)

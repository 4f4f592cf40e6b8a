/**
 * The alarm engine's cost and speed (issue 12): ingestion CPU of the station at 50,000 readings/s (100
 * requests/s of 500 readings) with no rules vs 1,000 threshold rules on the sensors the readings hit (each
 * reading evaluated, none firing), both in the same run, alternating; and, under that load, the latency
 * from the commit of the reading that completes a condition to `alarm.changed` on the domain stream and
 * to the `/ws/live` message at a desk.
 */
import { WebSocket } from 'ws'
import { DEVICE_KEY_HEADER } from '../../src/shared/constants'
import type { LiveMessage } from '../../src/shared/schemas/live'
import type { HttpLoadResult, HttpLoadSpec, HttpRequestSpec } from '../http-load'
import { adminToken, DEVICE_KEY, median, sleep, type BenchContext } from '../setup'
import { num, verdict } from '../table'

const RULES = 1_000
const BATCH = 500
const CONNECTIONS = 4
/** 4 connections × 25 requests/s × 500 readings = 50,000 readings/s. */
const RATE_PER_CONNECTION = 25
const PATH = '/api/v1/ingest/sensor-data'

export async function alarmsSection(ctx: BenchContext): Promise<void> {
  const { app } = ctx.main.station
  const headers = { [DEVICE_KEY_HEADER]: DEVICE_KEY }
  const target = CONNECTIONS * RATE_PER_CONNECTION * BATCH
  // 1,000 rules on 1,000 device+sensor pairs, inserted at once and loaded with one reload.
  const now = Date.now()
  const insert = app.db.prepare(
    'INSERT INTO alarm_rules (name, enabled, definition, created_at, updated_at) VALUES (?, 0, ?, ?, ?)',
  )
  app.db.transaction(() => {
    for (let i = 0; i < RULES; i++) {
      const definition = {
        severity: 'warning',
        trigger: {
          kind: 'threshold',
          deviceId: `bench-alarm-${i}`,
          sensor: 'temperature',
          op: 'above',
          level: 1000,
        },
        schedule: null,
        armedAreaId: null,
        actions: {},
      }
      insert.run(`bench rule ${i}`, JSON.stringify(definition), now, now)
    }
  })()
  const setRules = (on: boolean) => {
    app.db.prepare("UPDATE alarm_rules SET enabled = ? WHERE name LIKE 'bench rule %'").run(on ? 1 : 0)
    app.alarms.engine.reload()
  }
  const bodies: HttpRequestSpec[] = [0, 1].map((half) => ({
    method: 'POST',
    path: PATH,
    headers,
    body: JSON.stringify({
      readings: Array.from({ length: BATCH }, (_, i) => ({
        deviceId: `bench-alarm-${half * BATCH + i}`,
        sensor: 'temperature',
        value: 20 + (i % 10) / 10,
      })),
    }),
  }))
  const spec = (): HttpLoadSpec => ({
    host: '127.0.0.1',
    port: ctx.main.port,
    requests: bodies,
    connections: CONNECTIONS,
    durationMs: ctx.roundMs,
    warmupMs: ctx.warmupMs,
    ratePerConnection: RATE_PER_CONNECTION,
  })

  // The latency probe: one rule that a single reading completes, and a desk on /ws/live.
  const token = await adminToken(app)
  const probe = await app.inject({
    method: 'POST',
    url: '/api/rules',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      name: 'bench latency',
      severity: 'critical',
      trigger: { kind: 'threshold', deviceId: 'bench-latency', sensor: 'door', op: 'above', level: 0.5 },
    },
  })
  const ruleId = (probe.json() as { data: { id: number } }).data.id
  let committedAt = 0
  let changedAt = 0
  let liveAt = 0
  const offCommit = app.domainEvents.on('reading.committed', 'bench:alarm-commit', (e) => {
    if (e.readings.some((r) => r.deviceId === 'bench-latency' && r.value === 1))
      committedAt = performance.now()
  })
  const offChanged = app.domainEvents.on('alarm.changed', 'bench:alarm-changed', (e) => {
    if (e.alarm.ruleId === ruleId && e.alarm.state === 'active' && changedAt === 0)
      changedAt = performance.now()
  })
  const ws = new WebSocket(
    `${ctx.main.url.replace(/^http/, 'ws')}/ws/live?token=${encodeURIComponent(token)}`,
  )
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as LiveMessage
    if (m.type === 'alarm' && m.alarm.ruleId === ruleId && m.alarm.state === 'active' && liveAt === 0) {
      liveAt = performance.now()
    }
  })
  const ingestOne = (value: number) =>
    app.inject({
      method: 'POST',
      url: PATH,
      headers,
      payload: { readings: [{ deviceId: 'bench-latency', sensor: 'door', value }] },
    })
  const toStream: number[] = []
  const toLive: number[] = []
  let keep = false
  const probeOnce = async () => {
    committedAt = changedAt = liveAt = 0
    await ingestOne(1)
    const until = performance.now() + 5000
    while ((liveAt === 0 || changedAt === 0) && performance.now() < until) await sleep(1)
    if (committedAt && changedAt && liveAt && keep) {
      toStream.push(changedAt - committedAt)
      toLive.push(liveAt - committedAt)
    }
    const open = app.alarms.alarms.list({ ruleId, state: 'open', limit: 1 })[0]
    if (open) app.alarms.alarms.resolve(open.id, 'bench', undefined)
    await ingestOne(0)
  }

  const cpuPerK: Record<'none' | 'rules', number[]> = { none: [], rules: [] }
  const rates: Record<'none' | 'rules', number[]> = { none: [], rules: [] }
  // Both kinds of round run the same probes (their CPU counts alike); latency is kept from the rules rounds.
  const round = async (kind: 'none' | 'rules', measureLatency: boolean) => {
    setRules(kind === 'rules')
    keep = kind === 'rules'
    const evaluated0 = app.alarms.engine.evaluated
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const load = ctx.agent.call<HttpLoadResult>({ kind: 'http', spec: spec() })
    if (measureLatency) {
      await sleep(ctx.warmupMs)
      // Only while the load runs (it ends after warm-up + round).
      for (let i = 0; i < 4 && performance.now() - t0 < ctx.warmupMs + ctx.roundMs - 300; i++) {
        await probeOnce()
        await sleep(100)
      }
    }
    const res = await load
    const cpu = process.cpuUsage(cpu0)
    const seconds = (performance.now() - t0) / 1000
    const readings = res.rps * BATCH
    cpuPerK[kind].push((cpu.user + cpu.system) / 1000 / seconds / (Math.max(readings, 1) / 1000))
    rates[kind].push(readings)
    const evals = (app.alarms.engine.evaluated - evaluated0) / seconds
    ctx.log(
      `  ${kind === 'rules' ? `${RULES} rules` : 'no rules'}: ${num(readings)} readings/s committed, ${((cpu.user + cpu.system) / 1000 / seconds / 10).toFixed(0)}% of a core, ${num(evals)} rule evaluations/s`,
    )
  }
  try {
    await round('none', true) // unmeasured: hot paths compiled
    cpuPerK.none.length = 0
    rates.none.length = 0
    for (let r = 0; r < ctx.rounds; r++) {
      await round('none', true)
      await round('rules', true)
    }
  } finally {
    offCommit()
    offChanged()
    ws.close()
    setRules(false)
  }
  const base = median(cpuPerK.none)
  const withRules = median(cpuPerK.rules)
  const ratio = withRules / base
  ctx.rows.push(
    {
      figure: `Ingestion CPU per 1000 readings at ${num(target)}/s, ${num(RULES)} rules vs none`,
      station: `${withRules.toFixed(2)} ms (${num(median(rates.rules))}/s)`,
      baseline: `${base.toFixed(2)} ms (${num(median(rates.none))}/s)`,
      ratio: `${ratio.toFixed(2)}x`,
      goal: '<= 1.10x',
      result: verdict(ratio <= 1.1),
    },
    {
      figure: `Reading commit → alarm.changed (${num(RULES)} rules, under load), median of ${toStream.length}`,
      station: `${median(toStream).toFixed(2)} ms`,
      baseline: '',
      ratio: '',
      goal: '< 100 ms',
      result: verdict(median(toStream) < 100),
    },
    {
      figure: `Reading commit → /ws/live alarm message (under load), median of ${toLive.length}`,
      station: `${median(toLive).toFixed(2)} ms`,
      baseline: '',
      ratio: '',
      goal: '< 100 ms',
      result: verdict(median(toLive) < 100),
    },
  )
}

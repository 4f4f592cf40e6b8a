/**
 * WebSocket per-message deflate on vs off for the live channel: the station's CPU per delivered message
 * and the bytes on the wire, with the same subscribers and the same published readings.
 */
import type { LiveMessage } from '../../src/shared/schemas/live'
import { adminToken, sleep, startStation, type BenchContext } from '../setup'
import { na, num } from '../table'

const SUBSCRIBERS = 20
const RATE = 500

interface Measure {
  cpuPerK: number
  bytesPerMsg: number
  delivered: number
  expected: number
}

async function measure(ctx: BenchContext, deflate: boolean): Promise<Measure | string> {
  const bench = await startStation({
    USEDB: 'false',
    STATION_WS_DEFLATE: String(deflate),
    STATION_WS_MAX: '500',
  })
  try {
    const { app } = bench.station
    if (!app.hasDecorator('live')) return 'live hub missing'
    const token = await adminToken(app)
    const url = `${bench.url.replace(/^http/, 'ws')}/ws/live?token=${encodeURIComponent(token)}`
    const { opened } = await ctx.agent.call<{ opened: number }>({
      kind: 'live-open',
      url,
      count: SUBSCRIBERS,
      deflate: true,
    })
    if (opened === 0) return 'no /ws/live connection (route missing?)'
    await sleep(500)
    const before = await ctx.agent.call<{ messages: number; bytesRead: number }>({ kind: 'live-stats' })
    const cpu0 = process.cpuUsage()
    const seconds = ctx.quick ? 2 : 4
    let sent = 0
    const total = RATE * seconds
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (let i = 0; i < RATE / 100 && sent < total; i++, sent++) {
          const msg: LiveMessage = {
            type: 'reading',
            deviceId: `bench-live-${String(sent % 40).padStart(2, '0')}`,
            sensor: sent % 2 ? 'humidity' : 'temperature',
            value: Math.round((20 + Math.random() * 5) * 100) / 100,
            unit: sent % 2 ? '%' : 'C',
            ts: Date.now(),
          }
          app.live.publish(msg)
        }
        if (sent >= total) {
          clearInterval(timer)
          resolve()
        }
      }, 10)
    })
    const expected = total * opened
    const until = performance.now() + 5000
    let after = before
    while (performance.now() < until) {
      after = await ctx.agent.call<{ messages: number; bytesRead: number }>({ kind: 'live-stats' })
      if (after.messages - before.messages >= expected) break
      await sleep(100)
    }
    const cpu = process.cpuUsage(cpu0)
    const delivered = after.messages - before.messages
    return {
      cpuPerK: (cpu.user + cpu.system) / 1000 / (Math.max(delivered, 1) / 1000),
      bytesPerMsg: (after.bytesRead - before.bytesRead) / Math.max(delivered, 1),
      delivered,
      expected,
    }
  } finally {
    await ctx.agent.call({ kind: 'live-close' }).catch(() => undefined)
    await bench.close()
  }
}

export async function deflateSection(ctx: BenchContext): Promise<void> {
  const figure = `Live channel deflate on vs off (${SUBSCRIBERS} subs, ${RATE} msg/s): CPU/1k deliveries; B/msg`
  const off = await measure(ctx, false)
  const on = await measure(ctx, true)
  if (typeof off === 'string' || typeof on === 'string') {
    ctx.rows.push(na(figure, 'report', typeof off === 'string' ? off : (on as string)))
    return
  }
  for (const [name, m] of [
    ['off', off],
    ['on', on],
  ] as const) {
    ctx.log(
      `  deflate ${name}: ${num(m.delivered)}/${num(m.expected)} delivered, ${m.cpuPerK.toFixed(1)} ms CPU per 1000, ${m.bytesPerMsg.toFixed(0)} bytes/message on the wire`,
    )
    if (m.delivered < m.expected)
      ctx.notes.push(
        `deflate ${name}: ${num(m.expected - m.delivered)} live messages not delivered (dropped for slow consumers or late)`,
      )
  }
  ctx.rows.push({
    figure,
    station: `on: ${on.cpuPerK.toFixed(1)} ms; ${on.bytesPerMsg.toFixed(0)} B`,
    baseline: `off: ${off.cpuPerK.toFixed(1)} ms; ${off.bytesPerMsg.toFixed(0)} B`,
    ratio: `${(on.cpuPerK / off.cpuPerK).toFixed(2)}x CPU`,
    goal: 'report',
    result: '',
  })
}

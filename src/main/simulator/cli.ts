/**
 * `npm run simulate -- --devices 200 --rate 5 [--mode ws] [--url ...] [--key ...]`: simulated sensors and
 * buzzers against a station. Prints progress every few seconds and a summary on Ctrl-C.
 */
import { parseCli, USAGE, type CliOptions } from './options'
import { startSimulator } from './simulator'
import type { SimulatorStats } from './stats'

const fmt = (n: number) => n.toLocaleString('en-US')
const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0))

function progress(s: SimulatorStats, prev: SimulatorStats | undefined): string {
  const dt = prev ? (s.elapsedMs - prev.elapsedMs) / 1000 : s.elapsedMs / 1000
  const ackRate = (s.readingsAcknowledged - (prev?.readingsAcknowledged ?? 0)) / Math.max(dt, 0.001)
  const secs = String(Math.round(s.elapsedMs / 1000)).padStart(5)
  return (
    `[${secs}s] ${s.mode} ${fmt(s.connected)}/${fmt(s.devices)} ${s.mode === 'ws' ? 'connected' : 'reachable'}` +
    ` | readings sent ${fmt(s.readingsSent)} acked ${fmt(s.readingsAcknowledged)} (${fmt(Math.round(ackRate))}/s,` +
    ` p99 ${ms(s.readingAckMs.p99)} ms) pending ${fmt(s.readingsPending)}` +
    ` | errors ${fmt(s.errors)} rejected ${fmt(s.readingsRejected)} dropped ${fmt(s.readingsDropped)} 503/429 ${fmt(s.overloaded)}` +
    ` | heartbeats ${fmt(s.heartbeatsAcknowledged)}/${fmt(s.heartbeatsSent)}` +
    ` | buzzer commands executed ${fmt(s.buzzerCommandsExecuted)}`
  )
}

function summary(s: SimulatorStats): string {
  const secs = s.elapsedMs / 1000
  return [
    '',
    `Simulator summary (${s.mode}, ${fmt(s.devices)} devices, ${secs.toFixed(1)} s)`,
    `  readings generated     ${fmt(s.readingsGenerated)}`,
    `  readings sent          ${fmt(s.readingsSent)} (resent after a failure: ${fmt(s.readingsResent)})`,
    `  readings acknowledged  ${fmt(s.readingsAcknowledged)} (${fmt(Math.round(s.readingsAcknowledged / secs))}/s; ack latency p50 ${ms(s.readingAckMs.p50)} ms, p99 ${ms(s.readingAckMs.p99)} ms)`,
    `  readings rejected      ${fmt(s.readingsRejected)}; dropped (buffer full) ${fmt(s.readingsDropped)}; never sent ${fmt(s.readingsPending)}`,
    `  requests/frames        ${fmt(s.requests)}; errors ${fmt(s.errors)}; 503/429 answers ${fmt(s.overloaded)}`,
    `  heartbeats             ${fmt(s.heartbeatsAcknowledged)} acknowledged of ${fmt(s.heartbeatsSent)} (p99 ${ms(s.heartbeatAckMs.p99)} ms)`,
    `  buzzer commands        ${fmt(s.buzzerCommandsReceived)} received, ${fmt(s.buzzerCommandsExecuted)} executed, ${fmt(s.buzzerAcksSent)} acks sent, ${fmt(s.buzzerAcksConfirmed)} confirmed`,
    ...(s.mode === 'ws'
      ? [`  connections            ${fmt(s.connects)} opened, ${fmt(s.disconnects)} lost`]
      : []),
    ...(s.lastError ? [`  last error             ${s.lastError}`] : []),
  ].join('\n')
}

async function main(cli: CliOptions): Promise<number> {
  const { sim } = cli
  if (!sim.key) {
    process.stderr.write(
      'No device key: pass --key <site key> or set STATION_DEVICE_KEY (admins find it in the station).\n',
    )
    return 2
  }
  process.stdout.write(
    `Simulating ${fmt(sim.devices)} devices (${sim.prefix}${String(sim.firstDevice).padStart(4, '0')}...) over ${sim.mode === 'ws' ? 'WebSocket' : 'HTTP'} ` +
      `against ${sim.url}: ${sim.rate} reading(s)/s each, ${sim.sensors} sensor(s), batch ${sim.batch}, heartbeat every ${sim.heartbeatMs / 1000}s. Ctrl-C stops.\n`,
  )
  const simulator = startSimulator({
    ...sim,
    onBuzzer: (id, on) => process.stdout.write(`  buzzer ${id} ${on ? 'ON' : 'off'}\n`),
  })
  let prev: SimulatorStats | undefined
  const timer = setInterval(() => {
    const s = simulator.stats()
    process.stdout.write(progress(s, prev) + '\n')
    if (s.lastError && s.lastError !== prev?.lastError) process.stdout.write(`  last error: ${s.lastError}\n`)
    prev = s
  }, cli.intervalMs)

  await new Promise<void>((resolve) => {
    let signals = 0
    const onSignal = () => {
      if (++signals > 1) process.exit(130)
      process.stdout.write(
        '\nStopping: waiting for answers to what is in flight (Ctrl-C again to quit now)...\n',
      )
      resolve()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    if (cli.durationMs !== undefined) setTimeout(resolve, cli.durationMs).unref()
  })
  clearInterval(timer)
  const final = await simulator.stop()
  process.stdout.write(summary(final) + '\n')
  return final.readingsAcknowledged > 0 || final.readingsGenerated === 0 ? 0 : 1
}

let cli: CliOptions
try {
  cli = parseCli(process.argv.slice(2))
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`)
  process.exit(2)
}
if (cli.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}
main(cli).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`Simulator failed: ${err instanceof Error ? err.stack : String(err)}\n`)
    process.exit(1)
  },
)

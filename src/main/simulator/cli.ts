/**
 * `npm run simulate -- --devices 200 --rate 5 [--mode ws] [--url ...] [--key ...]`: simulated sensors and
 * buzzers against a station; `--cameras 8 --fps 25` adds simulated JPEG cameras and `--rtsp-cameras 4`
 * RTSP/H.264 cameras (with `--devices 0`, cameras only). Prints progress every few seconds and a summary
 * on Ctrl-C.
 */
import { startCameraSimulation, type CameraCliRun } from '../video/sim/cli-cameras'
import { startRtspCameraSimulation, type RtspCliRun } from '../video/sim/cli-rtsp-cameras'
import { parseCli, USAGE, type CliOptions } from './options'
import { runIntrusionScenario } from './scenario-intrusion'
import { startSimulator, type Simulator } from './simulator'
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
    ` p99 ${ms(s.readingAckMs.p99Ms)} ms) pending ${fmt(s.readingsPending)}` +
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
    `  readings acknowledged  ${fmt(s.readingsAcknowledged)} (${fmt(Math.round(s.readingsAcknowledged / secs))}/s; ack latency p50 ${ms(s.readingAckMs.p50Ms)} ms, p99 ${ms(s.readingAckMs.p99Ms)} ms)`,
    `  readings rejected      ${fmt(s.readingsRejected)}; dropped (buffer full) ${fmt(s.readingsDropped)}; never sent ${fmt(s.readingsPending)}`,
    `  requests/frames        ${fmt(s.requests)}; errors ${fmt(s.errors)}; 503/429 answers ${fmt(s.overloaded)}`,
    `  heartbeats             ${fmt(s.heartbeatsAcknowledged)} acknowledged of ${fmt(s.heartbeatsSent)} (p99 ${ms(s.heartbeatAckMs.p99Ms)} ms)`,
    `  buzzer commands        ${fmt(s.buzzerCommandsReceived)} received, ${fmt(s.buzzerCommandsExecuted)} executed, ${fmt(s.buzzerAcksSent)} acks sent, ${fmt(s.buzzerAcksConfirmed)} confirmed`,
    ...(s.mode === 'ws'
      ? [`  connections            ${fmt(s.connects)} opened, ${fmt(s.disconnects)} lost`]
      : []),
    ...(s.lastError ? [`  last error             ${s.lastError}`] : []),
  ].join('\n')
}

async function scenario(cli: CliOptions): Promise<number> {
  const { sim, cameras } = cli
  if (!sim.key || !cameras.adminPassword) {
    process.stderr.write(
      'The scenario needs the site key (--key or STATION_DEVICE_KEY) and the admin password (--admin-password or STATION_ADMIN_PASSWORD).\n',
    )
    return 2
  }
  try {
    const raised = await runIntrusionScenario({
      url: sim.url,
      key: sim.key,
      adminPassword: cameras.adminPassword,
      log: (line) => process.stdout.write(`${line}\n`),
    })
    return raised.length === 3 ? 0 : 1
  } catch (err) {
    process.stderr.write(`The scenario stopped: ${err instanceof Error ? err.message : String(err)}\n`)
    return 2
  }
}

async function main(cli: CliOptions): Promise<number> {
  if (cli.scenario) return scenario(cli)
  const { sim, cameras, rtsp } = cli
  // RTSP cameras are pulled by the station: only devices and push cameras present the site key.
  if (!sim.key && (sim.devices > 0 || cameras.count > 0)) {
    process.stderr.write(
      'No device key: pass --key <site key> or set STATION_DEVICE_KEY (admins find it in the station).\n',
    )
    return 2
  }
  if ((cameras.count > 0 || rtsp.count > 0) && !cameras.adminPassword) {
    process.stderr.write(
      'Simulated cameras are registered through the admin API: pass --admin-password <password> or set STATION_ADMIN_PASSWORD.\n',
    )
    return 2
  }
  let cams: CameraCliRun | undefined
  if (cameras.count > 0) {
    try {
      cams = await startCameraSimulation({
        url: sim.url,
        key: sim.key!,
        cameras: cameras.count,
        fps: cameras.fps,
        adminPassword: cameras.adminPassword!,
        transport: sim.mode,
      })
    } catch (err) {
      process.stderr.write(
        `Cannot start the simulated cameras: ${err instanceof Error ? err.message : String(err)}\n`,
      )
      return 2
    }
    process.stdout.write(`${cams.describe()}. Ctrl-C stops.\n`)
  }
  let rtspCams: RtspCliRun | undefined
  if (rtsp.count > 0) {
    process.stdout.write('Preparing the RTSP test videos (encoded once with ffmpeg, then cached)...\n')
    try {
      rtspCams = await startRtspCameraSimulation({
        url: sim.url,
        adminPassword: cameras.adminPassword!,
        cameras: rtsp.count,
        port: rtsp.port,
        auth: rtsp.auth,
        username: rtsp.username,
        password: rtsp.password,
        width: rtsp.width,
        height: rtsp.height,
        fps: rtsp.fps,
        pattern: rtsp.pattern,
      })
    } catch (err) {
      await cams?.stop()
      const message = err instanceof Error ? err.message : String(err)
      const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
      process.stderr.write(
        `Cannot start the simulated RTSP cameras: ${message}${inUse ? ` (pass --rtsp-port 0 for any free port)` : ''}\n`,
      )
      return 2
    }
    process.stdout.write(`${rtspCams.describe()}\nCtrl-C stops.\n`)
  }
  let simulator: Simulator | undefined
  if (sim.devices > 0) {
    process.stdout.write(
      `Simulating ${fmt(sim.devices)} devices (${sim.prefix}${String(sim.firstDevice).padStart(4, '0')}...) over ${sim.mode === 'ws' ? 'WebSocket' : 'HTTP'} ` +
        `against ${sim.url}: ${sim.rate} reading(s)/s each, ${sim.sensors} sensor(s), batch ${sim.batch}, heartbeat every ${sim.heartbeatMs / 1000}s. Ctrl-C stops.\n`,
    )
    simulator = startSimulator({
      ...sim,
      onBuzzer: (id, on) => process.stdout.write(`  buzzer ${id} ${on ? 'ON' : 'off'}\n`),
    })
  }
  let prev: SimulatorStats | undefined
  const started = performance.now()
  const timer = setInterval(() => {
    if (simulator) {
      const s = simulator.stats()
      process.stdout.write(progress(s, prev) + '\n')
      if (s.lastError && s.lastError !== prev?.lastError)
        process.stdout.write(`  last error: ${s.lastError}\n`)
      prev = s
    }
    const secs = String(Math.round((performance.now() - started) / 1000)).padStart(5)
    if (cams) process.stdout.write(`[${secs}s] ${cams.progress()}\n`)
    if (rtspCams) process.stdout.write(`[${secs}s] ${rtspCams.progress()}\n`)
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
  const [final] = await Promise.all([simulator?.stop(), cams?.stop(), rtspCams?.stop()])
  let code = 0
  if (final) {
    process.stdout.write(summary(final) + '\n')
    if (final.readingsAcknowledged === 0 && final.readingsGenerated > 0) code = 1
  }
  if (cams) {
    const c = cams.fleet.stats()
    const secs = ((performance.now() - started) / 1000).toFixed(1)
    process.stdout.write(
      `\nCamera summary (${cams.fleet.cameras.length} cameras, ${secs} s)\n  ${cams.progress().replace(/^cameras: /, '')}\n` +
        (c.push.lastError ? `  last error: ${c.push.lastError}\n` : ''),
    )
    if (c.push.sent === 0 && c.push.failed > 0) code = 1
  }
  if (rtspCams) process.stdout.write(`\n${rtspCams.summary()}\n`)
  return code
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

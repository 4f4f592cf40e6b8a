/**
 * `npm run simulate -- --scenario intrusion`: sets up (idempotently, through the admin API, by name) an
 * area, a simulated door contact, temperature sensor, buzzer and push camera, and three rules, arms the
 * area, then drives what an intrusion looks like: the door opens (critical alarm, siren, recording,
 * fullscreen), the camera's picture moves (warning), the temperature rises fast (rate rule). Prints what
 * to expect and what the station did, for the installer.
 */
import { DEVICE_KEY_HEADER } from '../../shared/constants'
import type { Alarm, Rule, RuleInput } from '../../shared/schemas/alarms'
import { JpegEncoder } from '../video/sim/jpeg-encoder'
import { signInAsAdmin, stationApi } from '../video/sim/station-api'

export interface IntrusionOptions {
  url: string
  key: string
  adminPassword: string
  log: (line: string) => void
  /** Longest wait for each expected alarm (default 60 s). */
  waitMs?: number
}

export const SIM_NAMES = {
  area: 'Sim warehouse',
  camera: 'Sim yard camera',
  door: 'sim-door-1',
  temp: 'sim-temp-1',
  buzzer: 'sim-buzzer-1',
  rules: {
    door: 'Sim: door opened',
    motion: 'Sim: motion in the yard',
    temp: 'Sim: temperature rising fast',
  },
} as const

const W = 320
const H = 240

/** A grey picture, with a white square at `x` (0..1) when given: what the simulated camera shows. */
function picture(encoder: JpegEncoder, x?: number): Buffer {
  const rgb = new Uint8Array(W * H * 3).fill(0x40)
  if (x !== undefined) {
    const side = 64
    const x0 = Math.round(x * (W - side))
    const y0 = (H - side) / 2
    for (let y = y0; y < y0 + side; y++) rgb.fill(0xff, (y * W + x0) * 3, (y * W + x0 + side) * 3)
  }
  return encoder.encode(rgb)
}

export async function runIntrusionScenario(o: IntrusionOptions): Promise<Alarm[]> {
  const waitMs = o.waitMs ?? 60_000
  const token = await signInAsAdmin(o.url, o.adminPassword)
  const api = <T>(method: string, path: string, body?: unknown) =>
    stationApi<T>(o.url, token, method, path, body)
  const device = async (path: string, body: unknown) => {
    const res = await fetch(`${o.url}${path}`, {
      method: 'POST',
      headers: { [DEVICE_KEY_HEADER]: o.key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const json = (await res.json().catch(() => ({}))) as { data?: unknown; message?: string }
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${json.message ?? ''}`.trim())
    return json.data
  }
  const ingest = (
    readings: { deviceId: string; sensor: string; value: number; unit?: string; ts?: number }[],
  ) => device('/api/v1/ingest/sensor-data', { readings })

  o.log('Setting up the intrusion scenario (reusing what an earlier run created)...')
  const areas = await api<{ id: number; name: string }[]>('GET', '/api/areas')
  const area =
    areas.find((a) => a.name === SIM_NAMES.area) ??
    (await api<{ id: number }>('POST', '/api/areas', { name: SIM_NAMES.area }))
  const cameras = await api<{ id: number; name: string }[]>('GET', '/api/cameras')
  const camera =
    cameras.find((c) => c.name === SIM_NAMES.camera) ??
    (await api<{ id: number }>('POST', '/api/cameras', {
      name: SIM_NAMES.camera,
      kind: 'push',
      enabled: true,
    }))
  await api('PUT', `/api/cameras/${camera.id}/motion`, { enabled: true, fps: 5 })
  // The devices introduce themselves: the buzzer with a heartbeat, the sensors with a quiet reading.
  await device(`/api/v1/devices/${SIM_NAMES.buzzer}/heartbeat`, {})
  await ingest([
    { deviceId: SIM_NAMES.door, sensor: 'open', value: 0 },
    { deviceId: SIM_NAMES.temp, sensor: 'temperature', value: 21, unit: '°C' },
  ])

  const wanted: RuleInput[] = [
    {
      name: SIM_NAMES.rules.door,
      severity: 'critical',
      trigger: { kind: 'threshold', deviceId: SIM_NAMES.door, sensor: 'open', op: 'above', level: 0.5 },
      armedAreaId: area.id,
      actions: {
        siren: { deviceId: SIM_NAMES.buzzer, durationMs: 10_000, pattern: 'sos' },
        record: { cameraIds: [camera.id], preRollSeconds: 10, postRollSeconds: 30 },
        fullscreen: { cameraIds: [camera.id] },
      },
    },
    {
      name: SIM_NAMES.rules.motion,
      severity: 'warning',
      trigger: { kind: 'camera-motion', cameraId: camera.id },
      armedAreaId: area.id,
    },
    {
      name: SIM_NAMES.rules.temp,
      severity: 'warning',
      trigger: {
        kind: 'rate',
        deviceId: SIM_NAMES.temp,
        sensor: 'temperature',
        direction: 'rise',
        amount: 5,
        perSeconds: 60,
      },
    },
  ]
  const existing = await api<Rule[]>('GET', '/api/rules')
  const rules: Rule[] = []
  for (const input of wanted) {
    const found = existing.find((r) => r.name === input.name)
    rules.push(
      await api<Rule>(found ? 'PUT' : 'POST', found ? `/api/rules/${found.id}` : '/api/rules', input),
    )
  }
  // A run before may have left alarms open: resolve them, so this run's are new.
  for (const r of rules) {
    for (const a of await api<Alarm[]>('GET', `/api/alarms?ruleId=${r.id}&state=open`)) {
      await api('POST', `/api/alarms/${a.id}/resolve`, { note: 'cleared by the simulator before a new run' })
    }
  }
  await api('POST', `/api/areas/${area.id}/arming`, { armed: true })
  o.log(
    `Area "${SIM_NAMES.area}" armed; ${rules.length} rules ready; camera "${SIM_NAMES.camera}" (#${camera.id}).`,
  )

  const encoder = new JpegEncoder({ width: W, height: H, quality: 70 })
  let squareAt: number | undefined
  let frames = 0
  const push = async () => {
    const t = (frames++ % 20) / 20
    const body = picture(encoder, squareAt === undefined ? undefined : (squareAt = Math.abs(1 - 2 * t)))
    await fetch(`${o.url}/api/v1/stream/fast/${camera.id}`, {
      method: 'POST',
      headers: { [DEVICE_KEY_HEADER]: o.key, 'content-type': 'image/jpeg' },
      body,
    }).catch(() => undefined)
  }
  let pushing = true
  const pusher = (async () => {
    while (pushing) {
      await push()
      await new Promise((r) => setTimeout(r, 100))
    }
  })()

  const raised: Alarm[] = []
  const expectAlarm = async (rule: Rule): Promise<Alarm | undefined> => {
    const until = Date.now() + waitMs
    while (Date.now() < until) {
      const [a] = await api<Alarm[]>('GET', `/api/alarms?ruleId=${rule.id}&state=open`)
      if (a) {
        raised.push(a)
        o.log(`  ✔ alarm raised: "${a.ruleName}" (${a.severity}): ${a.message}`)
        return a
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    o.log(`  ✘ no alarm from "${rule.name}" within ${Math.round(waitMs / 1000)} s`)
    return undefined
  }

  try {
    o.log(
      `Door contact opened on ${SIM_NAMES.door} → expect a critical alarm, the siren on ${SIM_NAMES.buzzer} and a recording`,
    )
    await ingest([{ deviceId: SIM_NAMES.door, sensor: 'open', value: 1 }])
    const door = await expectAlarm(rules[0]!)
    if (door) {
      const beat = (await device(`/api/v1/devices/${SIM_NAMES.buzzer}/heartbeat`, {})) as {
        commands?: { action: string; pattern?: string }[]
      }
      const cmd = beat.commands?.[0]
      o.log(
        cmd
          ? `  ✔ buzzer ${SIM_NAMES.buzzer} got: ${cmd.action}${cmd.pattern ? ` (${cmd.pattern})` : ''}`
          : `  … buzzer ${SIM_NAMES.buzzer} has no command yet`,
      )
    }

    // A motion rule fires when motion starts: wait until the detector sees the still picture as still
    // (an earlier run's square may still be fading out of its background).
    const settleUntil = Date.now() + waitMs
    for (;;) {
      const stats = await api<{ cameras: { cameraId: number; state: string; frames: number }[] }>(
        'GET',
        '/api/v1/motion/stats',
      )
      const mine = stats.cameras.find((c) => c.cameraId === camera.id)
      if ((mine && mine.state === 'idle' && mine.frames > 2) || Date.now() > settleUntil) break
      await new Promise((r) => setTimeout(r, 250))
    }
    o.log(`Motion on "${SIM_NAMES.camera}" (a square moves across its picture) → expect a warning`)
    squareAt = 0
    await expectAlarm(rules[1]!)
    squareAt = undefined

    o.log(`Temperature rising fast on ${SIM_NAMES.temp} (21 → 29 °C in 40 s) → expect a warning`)
    const t0 = Date.now() - 40_000
    await ingest(
      Array.from({ length: 9 }, (_, i) => ({
        deviceId: SIM_NAMES.temp,
        sensor: 'temperature',
        value: 21 + i,
        unit: '°C',
        ts: t0 + i * 5_000,
      })),
    )
    await expectAlarm(rules[2]!)
    await ingest([{ deviceId: SIM_NAMES.door, sensor: 'open', value: 0 }])
  } finally {
    pushing = false
    await pusher
  }
  o.log(`Done: ${raised.length} of ${rules.length} alarms raised. Acknowledge them on the alarm console.`)
  return raised
}

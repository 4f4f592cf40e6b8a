/**
 * The enabled rules indexed by what wakes them: a reading of device+sensor, a device's presence, a
 * camera's health or motion. A commit of 1,000 readings against 1,000 rules costs one map lookup per
 * reading, plus the rules that match.
 */
import type { CompiledRule } from './compile-rule'
import type { RateWindow } from './rate-window'
import type { PersistedState } from './rules-repository'

export interface RuleEntry {
  rule: CompiledRule
  state: PersistedState
  /** no-reading rules: station time the device (sensor) was last heard from. */
  lastHeard: number
  /** rate rules: the recent readings (in memory; a restart starts an empty window). */
  window?: RateWindow
  /** camera-motion rules with zones: the watched zones in motion now. */
  zonesMoving?: Set<number>
}

const key = (deviceId: string, sensor: string) => `${deviceId}\u0000${sensor}`

function push<K>(m: Map<K, RuleEntry[]>, k: K, e: RuleEntry): void {
  const list = m.get(k)
  if (list) list.push(e)
  else m.set(k, [e])
}

export class RuleIndex {
  readonly byId = new Map<number, RuleEntry>()
  /** Threshold, rate and no-reading rules of one sensor. */
  private readonly bySensor = new Map<string, RuleEntry[]>()
  /** no-reading rules of a whole device. */
  private readonly byDevice = new Map<string, RuleEntry[]>()
  private readonly presence = new Map<string, RuleEntry[]>()
  private readonly cameraHealth = new Map<number, RuleEntry[]>()
  private readonly cameraMotion = new Map<number, RuleEntry[]>()
  private readonly cameraZoneMotion = new Map<number, RuleEntry[]>()
  readonly buzzerFailed: RuleEntry[] = []
  /** Rules the sweep looks at: no-reading ones. */
  readonly silent: RuleEntry[] = []

  constructor(entries: readonly RuleEntry[]) {
    for (const e of entries) {
      this.byId.set(e.rule.id, e)
      const t = e.rule.trigger
      switch (t.kind) {
        case 'threshold':
        case 'rate':
          push(this.bySensor, key(t.deviceId, t.sensor), e)
          break
        case 'no-reading':
          if (t.sensor === undefined) push(this.byDevice, t.deviceId, e)
          else push(this.bySensor, key(t.deviceId, t.sensor), e)
          this.silent.push(e)
          break
        case 'device-offline':
          push(this.presence, t.deviceId, e)
          break
        case 'camera-offline':
          push(this.cameraHealth, t.cameraId, e)
          break
        case 'camera-motion':
          if (t.zones) push(this.cameraZoneMotion, t.cameraId, e)
          else push(this.cameraMotion, t.cameraId, e)
          break
        case 'buzzer-failed':
          this.buzzerFailed.push(e)
          break
        case 'manual':
          break
      }
    }
  }

  forSensor(deviceId: string, sensor: string): readonly RuleEntry[] | undefined {
    return this.bySensor.get(key(deviceId, sensor))
  }
  forDevice(deviceId: string): readonly RuleEntry[] | undefined {
    return this.byDevice.get(deviceId)
  }
  forPresence(deviceId: string): readonly RuleEntry[] | undefined {
    return this.presence.get(deviceId)
  }
  forCameraHealth(cameraId: number): readonly RuleEntry[] | undefined {
    return this.cameraHealth.get(cameraId)
  }
  /** Motion rules of the whole picture. */
  forCameraMotion(cameraId: number): readonly RuleEntry[] | undefined {
    return this.cameraMotion.get(cameraId)
  }
  /** Motion rules of some zones. */
  forZoneMotion(cameraId: number): readonly RuleEntry[] | undefined {
    return this.cameraZoneMotion.get(cameraId)
  }
}

/**
 * Plausible sensor values: a mean-reverting random walk per sensor, so charts of simulated devices look
 * like a real room (slow drift, small noise, values within physical bounds).
 */
export interface SensorProfile {
  name: string
  unit: string
  /** Range the walk starts in and reverts toward. */
  start: [number, number]
  /** Standard deviation of one step. */
  step: number
  bounds: [number, number]
  decimals: number
}

export const SENSOR_PROFILES: readonly SensorProfile[] = [
  { name: 'temperature', unit: 'C', start: [18, 26], step: 0.05, bounds: [-30, 70], decimals: 2 },
  { name: 'humidity', unit: '%', start: [35, 60], step: 0.2, bounds: [0, 100], decimals: 1 },
  { name: 'co2', unit: 'ppm', start: [420, 800], step: 4, bounds: [350, 5000], decimals: 0 },
  { name: 'pressure', unit: 'hPa', start: [1000, 1025], step: 0.05, bounds: [900, 1100], decimals: 2 },
  { name: 'light', unit: 'lux', start: [100, 800], step: 8, bounds: [0, 100_000], decimals: 0 },
  { name: 'battery', unit: '%', start: [80, 100], step: 0.02, bounds: [0, 100], decimals: 1 },
]

/** A standard normal sample (Box–Muller). */
function gauss(random: () => number): number {
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

export class SimulatedSensor {
  private value: number
  private readonly mean: number
  private readonly scale: number

  constructor(
    readonly profile: SensorProfile,
    private readonly random: () => number = Math.random,
  ) {
    const [lo, hi] = profile.start
    this.mean = lo + (hi - lo) * random()
    this.value = this.mean
    this.scale = 10 ** profile.decimals
  }

  get name(): string {
    return this.profile.name
  }

  get unit(): string {
    return this.profile.unit
  }

  /** Advances the walk one step and returns the new value, rounded as the sensor would report it. */
  next(): number {
    const { step, bounds } = this.profile
    this.value += (this.mean - this.value) * 0.01 + gauss(this.random) * step
    this.value = Math.min(bounds[1], Math.max(bounds[0], this.value))
    return Math.round(this.value * this.scale) / this.scale
  }
}

/** The sensors of one simulated device: the first `count` profiles (1..6). */
export function sensorsFor(count: number, random: () => number = Math.random): SimulatedSensor[] {
  const n = Math.max(1, Math.min(SENSOR_PROFILES.length, count))
  return SENSOR_PROFILES.slice(0, n).map((p) => new SimulatedSensor(p, random))
}

/**
 * Live sensor readings for charts, outside React state: charts subscribe to one device and sensor and
 * append points straight into the chart. The store only keeps the latest value per sensor, coalesced.
 */
export interface LivePoint {
  deviceId: string
  sensor: string
  value: number
  unit: string
  ts: number
}

type Listener = (p: LivePoint) => void

export class ReadingBus {
  private readonly listeners = new Map<string, Set<Listener>>()

  private static key(deviceId: string, sensor: string): string {
    return `${deviceId}\u0000${sensor}`
  }

  on(deviceId: string, sensor: string, listener: Listener): () => void {
    const key = ReadingBus.key(deviceId, sensor)
    let set = this.listeners.get(key)
    if (!set) this.listeners.set(key, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0) this.listeners.delete(key)
    }
  }

  emit(p: LivePoint): void {
    const set = this.listeners.get(ReadingBus.key(p.deviceId, p.sensor))
    if (set) for (const l of set) l(p)
  }
}

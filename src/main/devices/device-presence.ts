/**
 * Online state of devices, in memory: a device is online while it holds a WebSocket or was heard from
 * within `offlineAfterMs`. Going online is noticed at once (the first message); going offline by a sweep.
 * Only online or connected devices are tracked, so the map stays as small as the set of live devices.
 */

export interface PresenceState {
  lastSeen: number
  online: boolean
  connected: boolean
  /** When last_seen_at / last_ip were last handed to the device write queue. */
  persistedAt: number
  persistedIp: string | null
}

export type PresenceChange = 'online' | 'offline' | 'connected' | 'disconnected'

export interface PresenceHooks {
  /** A change of online or connected state (called synchronously). */
  onChange(deviceId: string, state: PresenceState, change: PresenceChange): void
  /** last_seen_at / last_ip are due to be written. */
  persistSeen(deviceId: string, seenAt: number, ip: string | null): void
}

/** last_seen_at is written at most this often per device (the readings transaction also keeps it fresh). */
export const PERSIST_SEEN_EVERY_MS = 5_000

export class DevicePresence {
  private readonly states = new Map<string, PresenceState>()
  private refused = 0

  constructor(
    private readonly offlineAfterMs: number,
    private readonly hooks: PresenceHooks,
    private readonly maxTracked = 100_000,
  ) {}

  /** Devices the database still marks online (restored at start; the sweep settles them). */
  restore(rows: readonly { id: string; last_seen_at: number | null }[]): void {
    for (const r of rows) {
      if (this.states.size >= this.maxTracked) break
      const seen = r.last_seen_at ?? 0
      this.states.set(r.id, {
        lastSeen: seen,
        online: true,
        connected: false,
        persistedAt: seen,
        persistedIp: null,
      })
    }
  }

  /** The device was heard from (a reading, a heartbeat, a WebSocket message). */
  heard(id: string, ip: string | null, now = Date.now()): void {
    const s = this.state(id, now)
    if (!s) return
    if (now > s.lastSeen) s.lastSeen = now
    if (now - s.persistedAt >= PERSIST_SEEN_EVERY_MS || (ip !== null && ip !== s.persistedIp)) {
      s.persistedAt = now
      if (ip !== null) s.persistedIp = ip
      this.hooks.persistSeen(id, now, ip)
    }
    if (!s.online) {
      s.online = true
      this.hooks.onChange(id, s, 'online')
    }
  }

  /** A WebSocket opened (true) or closed (false) for the device. */
  setConnected(id: string, connected: boolean, ip: string | null, now = Date.now()): void {
    const s = connected ? this.state(id, now) : this.states.get(id)
    if (!s || s.connected === connected) {
      if (s && connected) this.heard(id, ip, now)
      return
    }
    s.connected = connected
    this.heard(id, ip, now)
    this.hooks.onChange(id, s, connected ? 'connected' : 'disconnected')
  }

  /** Marks offline every device neither connected nor heard from within the window. */
  sweep(now = Date.now()): number {
    let changed = 0
    for (const [id, s] of this.states) {
      if (s.connected || now - s.lastSeen < this.offlineAfterMs) continue
      this.states.delete(id)
      if (s.online) {
        s.online = false
        changed++
        this.hooks.onChange(id, s, 'offline')
      }
    }
    return changed
  }

  isOnline(id: string): boolean {
    return this.states.get(id)?.online ?? false
  }

  isConnected(id: string): boolean {
    return this.states.get(id)?.connected ?? false
  }

  lastSeen(id: string): number | undefined {
    return this.states.get(id)?.lastSeen
  }

  /** Forgets a deleted device without reporting it offline. */
  forget(id: string): void {
    this.states.delete(id)
  }

  stats(): { online: number; connected: number; tracked: number; refused: number } {
    let online = 0
    let connected = 0
    for (const s of this.states.values()) {
      if (s.online) online++
      if (s.connected) connected++
    }
    return { online, connected, tracked: this.states.size, refused: this.refused }
  }

  private state(id: string, now: number): PresenceState | undefined {
    let s = this.states.get(id)
    if (s) return s
    if (this.states.size >= this.maxTracked) {
      this.refused++
      return undefined
    }
    s = { lastSeen: now, online: false, connected: false, persistedAt: 0, persistedIp: null }
    this.states.set(id, s)
    return s
  }
}

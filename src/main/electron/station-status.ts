/**
 * What the tray shows, kept current from the station in-process: serving or not, devices online, and
 * unacknowledged events. It listens to the live hub as a guard would (events, acknowledgements, device
 * status) and recounts from the database, at most once a second and every 30 s to stay exact.
 */
import type { FastifyInstance } from 'fastify'
import type { LiveMessage } from '../../shared/schemas/live'
import type { StationEvent } from '../../shared/schemas/entities'
import type { Alarm } from '../../shared/schemas/alarms'

export interface StationStatus {
  serving: boolean
  url: string
  devicesOnline: number
  devicesKnown: number
  unacked: number
}

export interface StatusTracker {
  current(): StationStatus
  /** Recounts now; resolves when the new status is published. */
  refresh(): Promise<void>
  stop(): void
}

export interface StatusTrackerOptions {
  app: Pick<FastifyInstance, 'live' | 'devices' | 'reads' | 'server'>
  url: string
  onChange(status: StationStatus): void
  /** A new event was recorded (for notifications). */
  onEvent?(event: StationEvent): void
  /** An alarm changed (for notifications of new ones). */
  onAlarm?(alarm: Alarm): void
  minIntervalMs?: number
  resyncMs?: number
}

const sameStatus = (a: StationStatus, b: StationStatus) =>
  a.serving === b.serving &&
  a.url === b.url &&
  a.devicesOnline === b.devicesOnline &&
  a.devicesKnown === b.devicesKnown &&
  a.unacked === b.unacked

export function trackStationStatus(opts: StatusTrackerOptions): StatusTracker {
  const { app } = opts
  const minInterval = opts.minIntervalMs ?? 1000
  const resyncMs = opts.resyncMs ?? 30_000
  let status: StationStatus = { serving: false, url: opts.url, devicesOnline: 0, devicesKnown: 0, unacked: 0 }
  let stopped = false
  let running: Promise<void> | undefined
  let again = false
  let timer: NodeJS.Timeout | undefined
  let lastRun = 0

  const publish = (next: StationStatus) => {
    if (sameStatus(status, next)) return
    status = next
    opts.onChange(status)
  }

  const count = async (): Promise<void> => {
    lastRun = Date.now()
    const devices = app.devices.stats()
    let unacked = status.unacked
    try {
      const row = await app.reads.run('events.count', {
        unacked: 1,
        from: 0,
        to: Number.MAX_SAFE_INTEGER,
      })
      unacked = row.total
    } catch {
      // The pool is closing (quit): keep the last count.
    }
    if (stopped) return
    publish({
      serving: app.server.listening,
      url: opts.url,
      devicesOnline: devices.online,
      devicesKnown: devices.known,
      unacked,
    })
  }

  const refresh = (): Promise<void> => {
    if (stopped) return Promise.resolve()
    if (running) {
      again = true
      return running
    }
    running = count().finally(() => {
      running = undefined
      if (again && !stopped) {
        again = false
        schedule()
      }
    })
    return running
  }

  /** Coalesces bursts (a hundred devices going offline at once) into one recount. */
  const schedule = () => {
    if (timer || stopped) return
    const wait = Math.max(0, lastRun + minInterval - Date.now())
    timer = setTimeout(() => {
      timer = undefined
      void refresh()
    }, wait)
    timer.unref()
  }

  const onLive = (msg: LiveMessage) => {
    if (msg.type === 'event') {
      if (msg.event.ackedAt === null) opts.onEvent?.(msg.event)
      schedule()
    } else if (msg.type === 'event.acked' || msg.type === 'device.status') {
      schedule()
    } else if (msg.type === 'alarm') {
      opts.onAlarm?.(msg.alarm)
    }
  }
  const unsubscribe = app.live.subscribe({ username: 'desktop-tray', role: 'guard' }, onLive)
  const resync = setInterval(() => void refresh(), resyncMs)
  resync.unref()
  void refresh()

  return {
    current: () => status,
    refresh,
    stop() {
      stopped = true
      unsubscribe()
      clearInterval(resync)
      if (timer) clearTimeout(timer)
    },
  }
}

/**
 * Native notifications for new events that need a guard (warnings and critical ones; "back online"
 * events only show in the app). Clicking one brings the window up on the events screen. A burst is
 * bounded: a few notifications a minute, then one summary of how many more came in.
 */
import type { StationEvent } from '../../shared/schemas/entities'
import type { ElectronLike, NotificationLike } from './electron-api'

export interface NotifierOptions {
  Notification: ElectronLike['Notification']
  /** Whether the guard wants desktop notifications (the tray's toggle). */
  enabled(): boolean
  /** Brings the window up on the events screen. */
  openEvents(): void
  maxPerWindow?: number
  windowMs?: number
  now?: () => number
}

export interface EventNotifier {
  notify(event: StationEvent): void
  /** Stops the summary timer (notifications already shown stay in the system's list). */
  close(): void
}

const TITLES: Record<string, string> = {
  'camera.offline': 'Camera offline',
  'device.offline': 'Device offline',
  'buzzer.failed': 'Buzzer failed',
  'buzzer.expired': 'Buzzer not confirmed',
  'queue.overload': 'Station overloaded',
  'storage.protected_over_quota': 'Protected footage over the quota',
  'storage.low_space': 'Recordings disk nearly full',
  'storage.database_fault': 'Station storage fault: data is refused',
}

/** Keep shown notifications referenced: one that is garbage-collected loses its click handler. */
const MAX_KEPT = 10

export function createEventNotifier(opts: NotifierOptions): EventNotifier {
  const maxPerWindow = opts.maxPerWindow ?? 4
  const windowMs = opts.windowMs ?? 60_000
  const now = opts.now ?? Date.now
  const kept: NotificationLike[] = []
  let windowStart = 0
  let shownInWindow = 0
  let suppressed = 0
  let summaryTimer: NodeJS.Timeout | undefined

  const show = (title: string, body: string, critical: boolean) => {
    const n = new opts.Notification({ title, body, urgency: critical ? 'critical' : 'normal', silent: false })
    n.on('click', () => opts.openEvents())
    n.show()
    kept.push(n)
    if (kept.length > MAX_KEPT) kept.shift()
  }

  const flushSummary = () => {
    summaryTimer = undefined
    if (suppressed === 0) return
    const count = suppressed
    suppressed = 0
    windowStart = now()
    shownInWindow = 1
    show('Guard Station', `${count} more new event${count === 1 ? '' : 's'}: open the events screen`, false)
  }

  return {
    notify(event) {
      if (event.severity === 'info' || !opts.enabled() || !opts.Notification.isSupported()) return
      const t = now()
      if (t - windowStart >= windowMs) {
        windowStart = t
        shownInWindow = 0
      }
      if (shownInWindow >= maxPerWindow) {
        suppressed++
        if (!summaryTimer) {
          summaryTimer = setTimeout(flushSummary, Math.max(0, windowStart + windowMs - t))
          summaryTimer.unref()
        }
        return
      }
      shownInWindow++
      show(TITLES[event.type] ?? 'New event', event.message, event.severity === 'critical')
    },
    close() {
      if (summaryTimer) clearTimeout(summaryTimer)
      summaryTimer = undefined
      kept.length = 0
    },
  }
}

/**
 * Native notifications for alarms: one when an alarm opens (or first reaches this desk still active), with
 * the rule's name and message; critical ones are urgent. A click brings the window up on the console.
 * Acknowledged and cleared alarms show nothing: every desk sees those on the console.
 */
import type { Alarm } from '../../shared/schemas/alarms'
import type { ElectronLike, NotificationLike } from './electron-api'

export interface AlarmNotifierOptions {
  Notification: ElectronLike['Notification']
  /** Whether the guard wants desktop notifications (the tray's toggle). */
  enabled(): boolean
  /** Brings the window up on the alarm console. */
  openConsole(): void
}

export interface AlarmNotifier {
  notify(alarm: Alarm): void
  close(): void
}

/** Alarm ids already notified: enough to cover every alarm open at once on a busy site. */
const MAX_REMEMBERED = 1000
const MAX_KEPT = 10
const SEVERITY_TITLE: Record<Alarm['severity'], string> = {
  critical: 'Critical alarm',
  warning: 'Alarm',
  info: 'Alarm (info)',
}

export function createAlarmNotifier(opts: AlarmNotifierOptions): AlarmNotifier {
  const notified = new Set<number>()
  const kept: NotificationLike[] = []
  return {
    notify(alarm) {
      if (alarm.state !== 'active' || notified.has(alarm.id)) return
      notified.add(alarm.id)
      if (notified.size > MAX_REMEMBERED) notified.delete(notified.values().next().value!)
      if (!opts.enabled() || !opts.Notification.isSupported()) return
      const n = new opts.Notification({
        title: `${SEVERITY_TITLE[alarm.severity]}: ${alarm.ruleName}`,
        body: alarm.message,
        urgency: alarm.severity === 'critical' ? 'critical' : 'normal',
        silent: false,
      })
      n.on('click', () => opts.openConsole())
      n.show()
      kept.push(n)
      if (kept.length > MAX_KEPT) kept.shift()
    },
    close() {
      kept.length = 0
      notified.clear()
    },
  }
}

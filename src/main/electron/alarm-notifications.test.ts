/** Native alarm notifications: once per alarm while it is active, urgent when critical, a click opens the console. */
import { describe, expect, it } from 'vitest'
import { alarm as sharedAlarm } from '../../shared/test-support/alarm-fixture'
import { createAlarmNotifier } from './alarm-notifications'
import { createElectronDouble } from './test-support/electron-double'

const alarm: typeof sharedAlarm = (id, over = {}) =>
  sharedAlarm(id, { ruleName: 'Server room hot', message: 'temperature 41 above 35', ...over })

function setup(enabled = true) {
  const electron = createElectronDouble({ userData: '/x', logs: '/x' })
  const opened: string[] = []
  const notifier = createAlarmNotifier({
    Notification: electron.api().Notification,
    enabled: () => enabled,
    openConsole: () => opened.push('events'),
  })
  return { electron, notifier, opened }
}

describe('alarm notifications', () => {
  it('shows a new active alarm once; critical ones are urgent; a click opens the console', () => {
    const { electron, notifier, opened } = setup()
    notifier.notify(alarm(1))
    notifier.notify(alarm(1, { repeatCount: 1 }))
    notifier.notify(alarm(2, { severity: 'critical', ruleName: 'Door forced' }))
    expect(electron.notifications.map((n) => [n.options.title, n.options.urgency, n.shown])).toEqual([
      ['Alarm: Server room hot', 'normal', true],
      ['Critical alarm: Door forced', 'critical', true],
    ])
    expect(electron.notifications[0]!.options.body).toBe('temperature 41 above 35')
    electron.notifications[1]!.click()
    expect(opened).toEqual(['events'])
  })

  it('says nothing for acknowledged or cleared alarms, or when turned off', () => {
    const s = setup()
    s.notifier.notify(alarm(3, { state: 'acknowledged' }))
    s.notifier.notify(alarm(4, { state: 'cleared' }))
    expect(s.electron.notifications).toEqual([])
    const off = setup(false)
    off.notifier.notify(alarm(5, { severity: 'critical' }))
    expect(off.electron.notifications).toEqual([])
  })
})

/** Native notifications for new events: which ones, where a click leads, and how a burst is bounded. */
import { describe, expect, it } from 'vitest'
import type { StationEvent } from '../../shared/schemas/entities'
import { createEventNotifier } from './notifications'
import { createElectronDouble } from './test-support/electron-double'

let nextId = 1
const event = (
  severity: StationEvent['severity'],
  type: StationEvent['type'] = 'camera.offline',
): StationEvent => ({
  id: nextId++,
  ts: Date.now(),
  type,
  severity,
  sourceKind: 'camera',
  sourceId: '1',
  message: `Gate camera ${type}`,
  ackedAt: null,
  ackedBy: null,
  ackNote: null,
  alarmId: null,
})

function setup(opts: { enabled?: boolean; maxPerWindow?: number; windowMs?: number } = {}) {
  const electron = createElectronDouble({ userData: '/x', logs: '/x' })
  const opened: string[] = []
  let enabled = opts.enabled ?? true
  let now = 1_000_000
  const notifier = createEventNotifier({
    Notification: electron.api().Notification,
    enabled: () => enabled,
    openEvents: () => opened.push('events'),
    maxPerWindow: opts.maxPerWindow ?? 3,
    windowMs: opts.windowMs ?? 60_000,
    now: () => now,
  })
  return {
    electron,
    notifier,
    opened,
    setEnabled: (on: boolean) => (enabled = on),
    advance: (ms: number) => (now += ms),
  }
}

describe('event notifications', () => {
  it('shows warnings and critical events; a click opens the events screen', () => {
    const { electron, notifier, opened } = setup()
    notifier.notify(event('warning'))
    notifier.notify(event('critical', 'queue.overload'))
    expect(electron.notifications.map((n) => [n.options.title, n.options.urgency, n.shown])).toEqual([
      ['Camera offline', 'normal', true],
      ['Station overloaded', 'critical', true],
    ])
    electron.notifications[1]!.click()
    expect(opened).toEqual(['events'])
    notifier.close()
  })

  it('leaves "back online" events to the app', () => {
    const { electron, notifier } = setup()
    notifier.notify(event('info', 'camera.online'))
    expect(electron.notifications).toEqual([])
  })

  it('stays quiet when the guard turned them off, or the system has none', () => {
    const s = setup({ enabled: false })
    s.notifier.notify(event('critical'))
    expect(s.electron.notifications).toEqual([])
    s.setEnabled(true)
    s.electron.notificationsSupported = false
    s.notifier.notify(event('critical'))
    expect(s.electron.notifications).toEqual([])
  })

  it('bounds a burst and then sums up what it held back', async () => {
    const { electron, notifier, opened, advance } = setup({ maxPerWindow: 2, windowMs: 50 })
    for (let i = 0; i < 5; i++) notifier.notify(event('warning'))
    expect(electron.notifications).toHaveLength(2)
    advance(50)
    await new Promise((r) => setTimeout(r, 80))
    expect(electron.notifications).toHaveLength(3)
    expect(electron.notifications[2]!.options.body).toBe('3 more new events: open the events screen')
    electron.notifications[2]!.click()
    expect(opened).toEqual(['events'])
    notifier.close()
  })
})

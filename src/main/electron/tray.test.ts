/**
 * The tray against a real station: the icon, tooltip and menu follow the station's state (serving,
 * devices online, unacknowledged events) as devices report and events are recorded and acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'
import { trackStationStatus, type StationStatus, type StatusTracker } from './station-status'
import { createElectronDouble, type TrayDouble } from './test-support/electron-double'
import { createStationTray, trayMenu, type TrayActions } from './tray'
import { trayView } from './tray-view'

async function until(check: () => boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const serving: StationStatus = {
  serving: true,
  url: 'http://127.0.0.1:8787',
  devicesOnline: 2,
  devicesKnown: 3,
  unacked: 0,
}

describe('the tray view', () => {
  it('shows serving, devices and events', () => {
    const v = trayView(serving)
    expect(v.level).toBe('ok')
    expect(v.lines).toEqual([
      'Serving on http://127.0.0.1:8787',
      'Devices online: 2 of 3',
      'No unacknowledged events',
    ])
    expect(v.tooltip).toContain('Devices online: 2 of 3')
  })

  it('asks for attention while events wait, and says when it is not serving', () => {
    expect(trayView({ ...serving, unacked: 1 })).toMatchObject({
      level: 'alert',
      lines: expect.arrayContaining(['1 unacknowledged event']),
    })
    expect(trayView({ ...serving, unacked: 4 }).lines).toContain('4 unacknowledged events')
    expect(trayView({ ...serving, devicesKnown: 0, devicesOnline: 0 }).lines).toContain('No devices yet')
    expect(trayView({ ...serving, serving: false })).toMatchObject({
      level: 'stopped',
      tooltip: 'Guard Station: not serving',
    })
  })

  it('offers the window, the events, the toggles and quit', () => {
    const calls: string[] = []
    let notifications = true
    const actions: TrayActions = {
      open: () => calls.push('open'),
      openEvents: () => calls.push('events'),
      openInBrowser: () => calls.push('browser'),
      notifications: { get: () => notifications, set: (on) => (notifications = on) },
      quit: () => calls.push('quit'),
    }
    const items = trayMenu({ ...serving, unacked: 2 }, actions)
    const labels = items.map((i) => i.label ?? i.type)
    expect(labels).toEqual([
      'Open Guard Station',
      'separator',
      'Serving on http://127.0.0.1:8787',
      'Devices online: 2 of 3',
      '2 unacknowledged events',
      'separator',
      'Open in Browser',
      'Desktop Notifications',
      'separator',
      'Quit Guard Station',
    ])
    expect(items.find((i) => i.label === '2 unacknowledged events')?.enabled).toBe(true)
    expect(trayMenu(serving, actions).find((i) => i.label === 'No unacknowledged events')?.enabled).toBe(
      false,
    )
  })
})

describe('the tray over a real station', () => {
  let station: TestStation
  let tracker: StatusTracker
  let tray: TrayDouble
  const electron = createElectronDouble({ userData: '/nonexistent', logs: '/nonexistent' })
  const calls: string[] = []

  beforeAll(async () => {
    station = await createTestStation()
    const { url } = await station.start()
    const api = electron.api()
    let notifications = true
    const actions: TrayActions = {
      open: () => calls.push('open'),
      openEvents: () => calls.push('events'),
      notifications: { get: () => notifications, set: (on) => (notifications = on) },
      startOnLogin: { get: () => false, set: (on) => calls.push(`login:${on}`) },
      quit: () => calls.push('quit'),
    }
    const icons = {
      ok: api.nativeImage.createFromPath('tray-ok.png'),
      alert: api.nativeImage.createFromPath('tray-alert.png'),
      stopped: api.nativeImage.createFromPath('tray-stopped.png'),
    }
    const initial = { serving: true, url, devicesOnline: 0, devicesKnown: 0, unacked: 0 }
    const stationTray = createStationTray(api, icons, actions, initial)
    tracker = trackStationStatus({
      app: station.app,
      url,
      onChange: (s) => stationTray.update(s),
      minIntervalMs: 10,
    })
    tray = electron.trays[0]!
  })
  afterAll(async () => {
    tracker.stop()
    await station.close()
  })

  it('starts serving with no devices and no events', async () => {
    await until(() => tray.imagePath() === 'tray-ok.png', 'the ok icon')
    expect(tray.tooltip).toContain('serving on http://127.0.0.1:')
    expect(tray.tooltip).toContain('No devices yet')
  })

  it('counts devices online as they report', async () => {
    for (const id of ['tray-dev-1', 'tray-dev-2']) {
      const res = await station.app.inject({
        method: 'POST',
        url: '/api/v1/ingest/sensor-data',
        headers: { 'x-device-key': TEST_DEVICE_KEY },
        payload: { deviceId: id, sensor: 'temperature', value: 20, unit: 'C' },
      })
      expect(res.statusCode).toBe(200)
    }
    await tracker.refresh()
    await until(() => tray.tooltip.includes('Devices online: 2 of 2'), 'two devices online')
  })

  it('turns to the alert icon while an event waits, and back once it is acknowledged', async () => {
    // Devices appearing may have recorded events already: acknowledge them first.
    const waiting = await station.app.reads.run('events.list', {
      unacked: 1,
      from: 0,
      to: Number.MAX_SAFE_INTEGER,
      limit: 100,
    })
    for (const e of waiting) station.app.events.acknowledge(e.id, 'admin', undefined)
    await tracker.refresh()
    await until(() => tray.imagePath() === 'tray-ok.png', 'no events waiting')
    const event = await station.app.events.record({
      type: 'camera.offline',
      severity: 'warning',
      sourceKind: 'camera',
      sourceId: '1',
      message: 'Gate camera went offline',
    })
    await until(() => tray.imagePath() === 'tray-alert.png', 'the alert icon')
    expect(tray.tooltip).toContain('1 unacknowledged event')
    tray.clickItem('1 unacknowledged event')
    expect(calls).toContain('events')
    station.app.events.acknowledge(event.id, 'admin', undefined)
    await until(() => tray.imagePath() === 'tray-ok.png', 'the ok icon again')
  })

  it('opens the window on a click, toggles, and quits from its menu', () => {
    tray.click()
    tray.clickItem('Start on Login', true)
    tray.clickItem('Quit Guard Station')
    expect(calls).toEqual(expect.arrayContaining(['open', 'login:true', 'quit']))
  })
})

/** The tray's look for a station status: which icon, the tooltip, and the status lines of its menu. */
import type { StationStatus } from './station-status'

export type TrayLevel = 'ok' | 'alert' | 'stopped'

export interface TrayView {
  level: TrayLevel
  tooltip: string
  lines: string[]
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

export function trayView(s: StationStatus, appName = 'Guard Station'): TrayView {
  if (!s.serving) {
    return { level: 'stopped', tooltip: `${appName}: not serving`, lines: ['Not serving devices'] }
  }
  const devices =
    s.devicesKnown === 0 ? 'No devices yet' : `Devices online: ${s.devicesOnline} of ${s.devicesKnown}`
  const events = s.unacked === 0 ? 'No unacknowledged events' : `${plural(s.unacked, 'unacknowledged event')}`
  return {
    level: s.unacked > 0 ? 'alert' : 'ok',
    tooltip: `${appName}: serving on ${s.url}\n${devices}\n${events}`,
    lines: [`Serving on ${s.url}`, devices, events],
  }
}

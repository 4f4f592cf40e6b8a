import { describe, expect, it } from 'vitest'
import { CAMERA_CONFIRM_STALE_MS, cameraBadge, deviceBadge, fpsLabel, shortTime } from './honest-state'

const now = new Date(2026, 11, 2, 2, 45, 0).getTime()
const at = (h: number, m: number) => new Date(2026, 11, 2, h, m, 0).getTime()

describe('camera badges', () => {
  it('online only when confirmed recently, with the time', () => {
    const b = cameraBadge({ enabled: true, isOnline: true, confirmedAt: at(2, 44) }, now, null)
    expect(b).toEqual({ state: 'online', tone: 'ok', text: 'Online · confirmed 02:44' })
  })
  it('an online camera not confirmed recently, or never, is unknown', () => {
    const stale = now - CAMERA_CONFIRM_STALE_MS - 1
    expect(cameraBadge({ enabled: true, isOnline: true, confirmedAt: stale }, now, null)).toMatchObject({
      state: 'unknown',
      tone: 'muted',
      text: `Unknown · last confirmed ${shortTime(stale, now)}`,
    })
    expect(cameraBadge({ enabled: true, isOnline: true, confirmedAt: null }, now, null).text).toBe('Unknown')
  })
  it('offline since it was last seen alive', () => {
    expect(cameraBadge({ enabled: true, isOnline: false, confirmedAt: at(1, 12) }, now, null)).toEqual({
      state: 'offline',
      tone: 'bad',
      text: 'Offline since 01:12',
    })
    expect(cameraBadge({ enabled: true, isOnline: false, confirmedAt: null }, now, null).text).toBe('Offline')
  })
  it('everything is unknown since the connection was lost, whatever the station said before', () => {
    for (const isOnline of [true, false]) {
      expect(cameraBadge({ enabled: true, isOnline, confirmedAt: now }, now, at(2, 41))).toEqual({
        state: 'unknown',
        tone: 'muted',
        text: 'Unknown since 02:41',
      })
    }
    expect(deviceBadge(true, now, at(2, 41)).text).toBe('Unknown since 02:41')
    expect(deviceBadge(true, now, null).text).toBe('Online')
  })
  it('a time on another day names the day', () => {
    expect(shortTime(new Date(2026, 10, 30, 23, 5).getTime(), now)).toMatch(/30.*23:05/)
  })
})

describe('tile frame rate', () => {
  it('no positive rate for a tile without a fresh frame', () => {
    expect(fpsLabel({ fps: 0, lastFrameAt: null }, now)).toBe('waiting for video')
    expect(fpsLabel({ fps: 12, lastFrameAt: now - 2500 }, now)).toBe('stalled')
    expect(fpsLabel({ fps: 12, lastFrameAt: now - 100 }, now)).toBe('12 fps')
  })
})

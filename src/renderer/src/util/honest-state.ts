/**
 * What a badge may tell a guard, and nothing more: "Online" only for what the station saw alive recently,
 * "Offline since …" for what it saw die, and "Unknown" (grey) for everything else: while the live
 * connection is down, every state is unknown since the last moment the station was heard from. Pure.
 */

/**
 * A camera confirmed alive longer ago than this is unknown, not online. The station confirms cameras it
 * streams at least every 30 s and checks the others at most every 60 s (STATION_VIDEO_PROBE_MS), jittered.
 */
export const CAMERA_CONFIRM_STALE_MS = 90_000

export type BadgeTone = 'ok' | 'bad' | 'muted'

export interface StateBadge {
  state: 'online' | 'offline' | 'unknown' | 'disabled'
  tone: BadgeTone
  text: string
}

/** 24-hour clock, minutes (a time today), with the day when it is another day. */
export function shortTime(ts: number, now: number): string {
  const d = new Date(ts)
  const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  if (d.toDateString() === new Date(now).toDateString()) return hm
  return `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${hm}`
}

function unknownSince(lostAt: number, now: number): StateBadge {
  return { state: 'unknown', tone: 'muted', text: `Unknown since ${shortTime(lostAt, now)}` }
}

export interface CameraFacts {
  enabled: boolean
  isOnline: boolean
  /** When the station last saw the camera alive (frames or a check), as freshest known here. */
  confirmedAt: number | null
}

export function cameraBadge(c: CameraFacts, now: number, lostAt: number | null): StateBadge {
  if (lostAt !== null) return unknownSince(lostAt, now)
  if (!c.enabled) return { state: 'disabled', tone: 'muted', text: 'Disabled' }
  const confirmed = c.confirmedAt
  if (c.isOnline) {
    if (confirmed !== null && now - confirmed <= CAMERA_CONFIRM_STALE_MS) {
      return {
        state: 'online',
        tone: 'ok',
        text: `Online · confirmed ${shortTime(Math.min(confirmed, now), now)}`,
      }
    }
    return {
      state: 'unknown',
      tone: 'muted',
      text: confirmed !== null ? `Unknown · last confirmed ${shortTime(confirmed, now)}` : 'Unknown',
    }
  }
  return {
    state: 'offline',
    tone: 'bad',
    text: confirmed !== null ? `Offline since ${shortTime(confirmed, now)}` : 'Offline',
  }
}

/** A device (sensor, buzzer): the station's word while connected, unknown while the connection is down. */
export function deviceBadge(online: boolean, now: number, lostAt: number | null): StateBadge {
  if (lostAt !== null) return unknownSince(lostAt, now)
  return online
    ? { state: 'online', tone: 'ok', text: 'Online' }
    : { state: 'offline', tone: 'bad', text: 'Offline' }
}

/** A tile's rate only while frames come: without a frame for 2 s it is stalled (or still waiting for one). */
export function fpsLabel(st: { fps: number; lastFrameAt: number | null }, now: number): string {
  if (st.lastFrameAt === null) return 'waiting for video'
  if (now - st.lastFrameAt > 2000) return 'stalled'
  return `${st.fps} fps`
}

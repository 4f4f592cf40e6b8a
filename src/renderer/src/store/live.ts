/**
 * Routes the transport's live messages and status into the store. Readings go to the reading bus at
 * once (charts append directly) and into the store's latest values at most every READINGS_FLUSH_MS, so
 * a busy site does not re-render the page for every reading.
 */
import type { LiveEvents, LiveMessage } from '../../../shared/contract'
import type { StoreApi } from 'zustand'
import type { StationState, StoreDeps } from './types'

export const READINGS_FLUSH_MS = 250
/** A wall of cameras makes no requests: check now and then that the session still holds. */
export const SESSION_CHECK_MS = 60_000

export function attachLive(store: StoreApi<StationState>, deps: StoreDeps): () => void {
  const { transport } = deps
  let pending: LiveEvents['reading'][] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = () => {
    timer = null
    const batch = pending
    pending = []
    store.getState().applyReadings(batch)
  }

  // A `resync` (the station skipped messages this client was too slow for): reload the lists, one load at
  // a time; resyncs arriving meanwhile fold into one more load after it.
  let resyncing = false
  let resyncAgain = false
  const resync = () => {
    if (store.getState().session.status !== 'signedIn') return
    if (resyncing) {
      resyncAgain = true
      return
    }
    resyncing = true
    void store
      .getState()
      .loadAll()
      .catch(() => {}) // each list shows its own load error
      .finally(() => {
        resyncing = false
        if (resyncAgain) {
          resyncAgain = false
          resync()
        }
      })
  }

  const onMessage = (msg: LiveMessage) => {
    const s = store.getState()
    switch (msg.type) {
      case 'reading':
        deps.readings.emit(msg)
        pending.push(msg)
        timer ??= setTimeout(flush, READINGS_FLUSH_MS)
        return
      case 'device.status':
        return s.applyDeviceStatus(msg)
      case 'camera.status':
        return s.applyCameraStatus(msg)
      case 'camera.config':
        return s.applyCameraConfig(msg.camera)
      case 'camera.removed':
        return s.cameraRemoved(msg.cameraId)
      case 'camera.motion':
        return s.applyMotion(msg)
      case 'buzzer.status':
        return s.applyBuzzerStatus(msg.request)
      case 'event':
        return s.applyEvent(msg.event)
      case 'event.acked':
        return s.applyEventAcked(msg.event)
      case 'alarm':
        return s.applyAlarm(msg.alarm)
      case 'stats':
        if (msg.stats.video !== undefined) s.applyVideoStats(msg.stats.video)
        return s.applyStats(msg.stats)
      case 'resync':
        return resync()
      case 'hello':
        return
    }
  }

  let wasOpen = false
  const offMessage = transport.subscribe(onMessage)
  const offStatus = transport.onStatus((status) => {
    const s = store.getState()
    // Back after a drop (the station may have restarted): stream tokens from before may be void, so the
    // tiles, which reconnect at once (liveEpoch), fetch fresh ones.
    if (status.state === 'open' && s.lostAt !== null) deps.video?.tokens.forget()
    s.setConnection(status)
    // Back after a drop: catch up on whatever happened meanwhile.
    if (status.state === 'open' && wasOpen && s.session.status === 'signedIn') void s.loadAll()
    if (status.state === 'open') wasOpen = true
    if (status.state === 'idle') wasOpen = false
  })
  const offUnauthorized = transport.onUnauthorized(() => store.getState().sessionExpired())
  // A 401 here reaches onUnauthorized through the transport; other failures are the banner's business.
  const sessionCheck = setInterval(() => {
    void store.getState().checkSession()
  }, SESSION_CHECK_MS)

  return () => {
    offMessage()
    offStatus()
    offUnauthorized()
    clearInterval(sessionCheck)
    if (timer) clearTimeout(timer)
  }
}

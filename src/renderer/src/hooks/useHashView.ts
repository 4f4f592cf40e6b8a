/**
 * Keeps the screen in the address (`#/events`), so reloads, links and the Back button work. Playback
 * takes a camera and a moment too: `#/playback?camera=3&at=1767225600000` opens it there.
 */
import { useEffect } from 'react'
import { useStation, useStationApi } from '../store/context'
import { VIEWS, type View } from '../store/settings-slice'

function viewOf(hash: string): View | null {
  const v = hash.replace(/^#\/?/, '').split('?')[0]!
  return (VIEWS as readonly string[]).includes(v) ? (v as View) : null
}

/** `#/playback?camera=3&at=…`: the camera and moment, or null. */
export function playbackMoment(hash: string): { cameraId: number; at: number } | null {
  const q = new URLSearchParams(hash.split('?')[1] ?? '')
  const cameraId = Number(q.get('camera'))
  const at = Number(q.get('at'))
  return Number.isInteger(cameraId) && cameraId > 0 && Number.isFinite(at) && at > 0 ? { cameraId, at } : null
}

export function useHashView(): void {
  const store = useStationApi()
  const view = useStation((s) => s.settings.view)
  useEffect(() => {
    const fromHash = () => {
      const v = viewOf(location.hash)
      const moment = playbackMoment(location.hash)
      if (v === 'playback' && moment) {
        store.getState().openPlaybackAt(moment.cameraId, moment.at)
        history.replaceState(null, '', '#/playback')
      } else if (v && v !== store.getState().settings.view) store.getState().setView(v)
    }
    fromHash()
    window.addEventListener('hashchange', fromHash)
    return () => window.removeEventListener('hashchange', fromHash)
  }, [store])
  useEffect(() => {
    if (viewOf(location.hash) !== view) history.pushState(null, '', `#/${view}`)
  }, [view])
}

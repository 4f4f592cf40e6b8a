/** Keeps the screen in the address (`#/events`), so reloads, links and the Back button work. */
import { useEffect } from 'react'
import { useStation, useStationApi } from '../store/context'
import { VIEWS, type View } from '../store/settings-slice'

function viewOf(hash: string): View | null {
  const v = hash.replace(/^#\/?/, '')
  return (VIEWS as readonly string[]).includes(v) ? (v as View) : null
}

export function useHashView(): void {
  const store = useStationApi()
  const view = useStation((s) => s.settings.view)
  useEffect(() => {
    const fromHash = () => {
      const v = viewOf(location.hash)
      if (v && v !== store.getState().settings.view) store.getState().setView(v)
    }
    fromHash()
    window.addEventListener('hashchange', fromHash)
    return () => window.removeEventListener('hashchange', fromHash)
  }, [store])
  useEffect(() => {
    if (viewOf(location.hash) !== view) history.pushState(null, '', `#/${view}`)
  }, [view])
}

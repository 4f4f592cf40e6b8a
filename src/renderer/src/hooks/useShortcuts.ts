/**
 * Keyboard shortcuts for the whole app: 1-4 grid layouts, F fullscreen, A acknowledge (the selected or
 * loudest waiting alarm, else the newest waiting event), Esc back. On the alarm console also J/K and the
 * arrows (move the selection), N note, G assign, R resolve, Esc (drop the selection). Ignored while typing
 * in a field or while a dialog is open (the dialog has its own Enter and Esc).
 */
import { useEffect } from 'react'
import { useStationApi } from '../store/context'
import { GRID_LAYOUTS } from '../store/settings-slice'

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

export interface ShortcutHandlers {
  /** A acknowledges: the screen decides what (the events screen opens the newest unacknowledged). */
  onAcknowledge(): void
  /** F toggles fullscreen for the focused or first camera. */
  onFullscreen(): void
}

const CONSOLE_KEYS: Record<string, 1 | -1 | 'note' | 'assign' | 'resolve'> = {
  j: 1,
  arrowdown: 1,
  k: -1,
  arrowup: -1,
  n: 'note',
  g: 'assign',
  r: 'resolve',
}

export function useShortcuts(h: ShortcutHandlers): void {
  const store = useStationApi()
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return
      if (document.querySelector('dialog[open]')) return
      const s = store.getState()
      const key = e.key.toLowerCase()
      const consoleKey = s.settings.view === 'events' ? CONSOLE_KEYS[key] : undefined
      if (consoleKey === 1 || consoleKey === -1) {
        s.moveAlarmSelection(consoleKey)
      } else if (consoleKey !== undefined) {
        const a = s.alarms.find((x) => x.id === s.selectedAlarm)
        if (!a || (consoleKey !== 'note' && a.state === 'cleared')) return
        s.openAlarmDialog(consoleKey)
      } else if (key === 'escape' && s.settings.view === 'events' && s.selectedAlarm !== null) {
        s.selectAlarm(null)
      } else if (['1', '2', '3', '4'].includes(key)) {
        s.setLayout(GRID_LAYOUTS[Number(key) - 1]!)
        if (s.settings.view !== 'cameras') s.setView('cameras')
        s.openFullscreen(null)
      } else if (key === 'f') {
        h.onFullscreen()
      } else if (key === 'a') {
        h.onAcknowledge()
      } else if (key === 'escape') {
        if (s.settings.fullscreenCamera !== null) s.openFullscreen(null)
        else if (s.settings.view !== 'cameras') s.setView('cameras')
      } else {
        return
      }
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store, h])
}

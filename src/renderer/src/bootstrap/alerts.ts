/**
 * The alert for a new event or alarm: a short audible cue (Web Audio, no asset to load; one pattern per
 * severity) and a desktop notification while the page is hidden. The store calls it only when alerts are
 * not muted; alarms repeat their cue (alarm-sound.ts) until acknowledged.
 */
import type { Alarm } from '../../../shared/contract'
import type { StationEvent } from '../../../shared/schemas/entities'

let audio: AudioContext | null = null

/** Plays the severity's pattern once: critical three tones, warning two, info one. */
export function beep(severity: StationEvent['severity']): void {
  try {
    audio ??= new AudioContext()
    const t = audio.currentTime
    const tones = severity === 'critical' ? [880, 660, 880] : severity === 'warning' ? [740, 587] : [660]
    tones.forEach((hz, i) => {
      const osc = audio!.createOscillator()
      const gain = audio!.createGain()
      osc.frequency.value = hz
      gain.gain.setValueAtTime(0.0001, t + i * 0.18)
      gain.gain.exponentialRampToValueAtTime(0.2, t + i * 0.18 + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.18 + 0.16)
      osc.connect(gain).connect(audio!.destination)
      osc.start(t + i * 0.18)
      osc.stop(t + i * 0.18 + 0.17)
    })
  } catch {
    /* no audio device: the badge and list still show it */
  }
}

/** A browser notification while the guard looks elsewhere (the desktop app's main process shows its own). */
function notify(title: string, body: string, tag: string): void {
  if (typeof Notification === 'undefined') return
  const show = () => {
    if (document.visibilityState === 'visible' && document.hasFocus()) return
    const n = new Notification(title, { body, tag })
    n.onclick = () => window.focus()
  }
  if (Notification.permission === 'granted') show()
  else if (Notification.permission === 'default')
    void Notification.requestPermission().then((p) => p === 'granted' && show())
}

export function createAlert(wantsDesktop: () => boolean): (e: StationEvent) => void {
  return (e) => {
    beep(e.severity)
    // In the desktop app the main process shows native notifications (a click opens the events screen).
    if (window.station?.kind === 'ipc') return
    if (wantsDesktop()) notify(`Guard Station: ${e.type.replace('.', ' ')}`, e.message, `event-${e.id}`)
  }
}

export interface AlarmAlertPrefs {
  muted(): boolean
  desktop(): boolean
  /** Critical alarms bring the window to the front. */
  raiseForCritical(): boolean
}

/**
 * A new alarm on this desk: the notification (the sound is alarm-sound.ts's, repeating), and for a critical
 * one the window to the front: the desktop app's main process does both (IPC), a browser what it may.
 */
export function createAlarmAlert(prefs: AlarmAlertPrefs): (a: Alarm) => void {
  return (a) => {
    const raise = a.severity === 'critical' && prefs.raiseForCritical()
    if (window.station?.kind === 'ipc') {
      if (raise) window.station.focusWindow()
      return
    }
    if (raise) window.focus()
    if (prefs.muted() || !prefs.desktop()) return
    const title = `${a.severity === 'critical' ? 'Critical alarm' : 'Alarm'}: ${a.ruleName}`
    notify(title, a.message, `alarm-${a.id}`)
  }
}

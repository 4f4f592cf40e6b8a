/**
 * The alert for a new event: a short audible cue (Web Audio, no asset to load) and a desktop
 * notification while the page is hidden. The store calls it only when alerts are not muted.
 */
import type { StationEvent } from '../../../shared/schemas/entities'

let audio: AudioContext | null = null

function beep(severity: StationEvent['severity']): void {
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

export function createAlert(wantsDesktop: () => boolean): (e: StationEvent) => void {
  return (e) => {
    beep(e.severity)
    // In the desktop app the main process shows native notifications (a click opens the events screen).
    if (window.station?.kind === 'ipc') return
    if (!wantsDesktop() || typeof Notification === 'undefined') return
    const show = () => {
      if (document.visibilityState === 'visible' && document.hasFocus()) return
      const n = new Notification(`Guard Station: ${e.type.replace('.', ' ')}`, {
        body: e.message,
        tag: `event-${e.id}`,
      })
      n.onclick = () => window.focus()
    }
    if (Notification.permission === 'granted') show()
    else if (Notification.permission === 'default')
      void Notification.requestPermission().then((p) => p === 'granted' && show())
  }
}

/**
 * Playback: pick up to four cameras, find the moment on the timeline (a day at a glance, zoom to minutes),
 * click to play from there, scrub, 1x to 8x, frame by frame when paused, all cameras in step; export a
 * range. Keys: Space play/pause, ←/→ a frame (paused) or 10 s (playing), Shift+←/→ a minute, [ ] speed,
 * + − zoom, I / O export start / end.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Button, EmptyState, ErrorText } from '../../components/ui'
import { useStation, useStationShallow } from '../../store/context'
import { MAX_PLAYBACK_CAMERAS } from '../../store/playback-slice'
import { PlaybackGroup } from '../../video/playback/playback-group'
import { SPEEDS, type Speed } from '../../video/playback/sync-clock'
import { around, dayOf, HOUR, MINUTE, pan, zoom, DAY } from '../../video/playback/time-scale'
import { ExportPanel } from './ExportPanel'
import { usePlaybackSource } from './playback-source'
import { PlaybackTimeline } from './PlaybackTimeline'
import { PlaybackVideo } from './PlaybackVideo'

const SPANS = [
  { label: 'Day', ms: DAY },
  { label: '1 h', ms: HOUR },
  { label: '10 min', ms: 10 * MINUTE },
  { label: '1 min', ms: MINUTE },
]

function typing(t: EventTarget | null): boolean {
  return (
    t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))
  )
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')
function clock(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

export function PlaybackScreen() {
  const s = useStationShallow((s) => ({
    cameras: s.cameras,
    selected: s.playbackCameras,
    window: s.playbackWindow,
    timelines: s.timelines,
    status: s.timelinesStatus,
    error: s.timelinesError,
    exportRange: s.exportRange,
    toggle: s.togglePlaybackCamera,
    setWindow: s.setPlaybackWindow,
    load: s.loadTimelines,
    setExportRange: s.setExportRange,
  }))
  const source = usePlaybackSource()
  const listeners = useRef(new Set<(wall: number) => void>())
  const timeText = useRef<HTMLSpanElement>(null)
  const windowRef = useRef(s.window)
  windowRef.current = s.window
  const [playing, setPlaying] = useState(false)
  const [speed, setSpeed] = useState<Speed>(1)
  const { setWindow, load } = s

  const group = useMemo(
    () =>
      new PlaybackGroup((wall) => {
        if (timeText.current) timeText.current.textContent = clock(wall)
        for (const l of listeners.current) l(wall)
      }),
    [],
  )
  useEffect(() => () => group.destroy(), [group])
  // Until the guard picks a moment: the start of the first recording shown, else the window's start.
  const picked = useRef(false)
  const firstRange = s.selected
    .map((id) => s.timelines[id]?.ranges.find((r) => r.end > s.window.from && r.start < s.window.to))
    .filter((r) => r !== undefined)
    .map((r) => Math.max(r.start, s.window.from))
    .sort((a, b) => a - b)[0]
  const takeSeek = useStation((s) => s.takePlaybackSeek)
  const seekTo = useStation((s) => s.playbackSeek)
  useEffect(() => {
    // Opened at a moment (an alarm's clip, a link): there, once.
    const at = seekTo === null ? null : takeSeek()
    if (at !== null) {
      picked.current = true
      group.seek(at)
    } else if (!picked.current) group.seek(firstRange ?? windowRef.current.from)
  }, [group, firstRange, seekTo, takeSeek])
  const subscribe = useCallback((l: (wall: number) => void) => {
    listeners.current.add(l)
    return () => void listeners.current.delete(l)
  }, [])

  // The playhead keeps in view while playing.
  useEffect(
    () =>
      subscribe((wall) => {
        const w = windowRef.current
        if (group.playing && wall > w.to) setWindow(pan(w, Math.round((w.to - w.from) * 0.8)))
      }),
    [group, setWindow, subscribe],
  )
  useEffect(() => {
    void load()
  }, [load])

  const seek = useCallback(
    (wall: number) => {
      picked.current = true
      group.seek(wall)
    },
    [group],
  )
  const togglePlay = useCallback(() => {
    if (group.playing) group.pause()
    else group.play()
    setPlaying(group.playing)
  }, [group])
  const changeSpeed = useCallback(
    (v: Speed) => {
      group.setRate(v)
      setSpeed(v)
    },
    [group],
  )

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('dialog[open]'))
        return
      const w = windowRef.current
      const k = e.key
      if (k === ' ') togglePlay()
      else if (k === 'ArrowLeft' || k === 'ArrowRight') {
        const dir = k === 'ArrowLeft' ? -1 : 1
        if (e.shiftKey) group.seek(group.now() + dir * MINUTE)
        else if (group.playing) group.seek(group.now() + dir * 10_000)
        else group.step(dir)
        setPlaying(group.playing)
      } else if (k === '[' || k === ']') {
        const i = SPEEDS.indexOf(group.rate as Speed) + (k === ']' ? 1 : -1)
        changeSpeed(SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, i))]!)
      } else if (k === '+' || k === '=') setWindow(zoom(w, 0.5, group.now()))
      else if (k === '-') setWindow(zoom(w, 2, group.now()))
      else if (k === 'i' || k === 'I') s.setExportRange({ from: Math.round(group.now()) })
      else if (k === 'o' || k === 'O') s.setExportRange({ to: Math.round(group.now()) })
      else return
      e.preventDefault()
      e.stopPropagation()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [group, togglePlay, changeSpeed, setWindow, s])

  const shown = s.selected
    .map((id) => s.cameras.find((c) => c.id === id))
    .filter((c): c is NonNullable<typeof c> => c !== undefined)
  const rows = shown.map((c) => ({ cameraId: c.id, name: c.name, timeline: s.timelines[c.id] }))
  const day = dayOf(s.window.from)

  return (
    <section className="playback" aria-label="Playback">
      <div className="toolbar">
        <h1>Playback</h1>
        <fieldset className="pb-cameras" aria-label={`Cameras (up to ${MAX_PLAYBACK_CAMERAS})`}>
          {s.cameras.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                data-testid={`playback-camera-${c.id}`}
                checked={s.selected.includes(c.id)}
                disabled={!s.selected.includes(c.id) && s.selected.length >= MAX_PLAYBACK_CAMERAS}
                onChange={() => s.toggle(c.id)}
              />
              {c.name}
            </label>
          ))}
        </fieldset>
        <label className="field-inline">
          Day
          <input
            type="date"
            data-testid="playback-day"
            value={new Date(day.from - new Date(day.from).getTimezoneOffset() * MINUTE)
              .toISOString()
              .slice(0, 10)}
            onChange={(e) => {
              if (!e.target.value) return
              const [y, m, d] = e.target.value.split('-').map(Number)
              setWindow(dayOf(new Date(y!, m! - 1, d!).getTime()))
            }}
          />
        </label>
        <span className="toolbar-hint">Space play · ←/→ frame · [ ] speed · + − zoom · I/O export</span>
      </div>

      {s.error ? <ErrorText>{s.error}</ErrorText> : null}
      {shown.length === 0 ? (
        <EmptyState title="Choose cameras">
          Tick up to {MAX_PLAYBACK_CAMERAS} cameras to see what they recorded and play it back together.
        </EmptyState>
      ) : (
        <div className={`pb-grid pb-grid-${shown.length}`}>
          {shown.map((c) => (
            <PlaybackVideo key={c.id} cameraId={c.id} name={c.name} group={group} source={source} />
          ))}
        </div>
      )}

      <div className="toolbar pb-transport">
        <Button onClick={() => group.seek(group.now() - 10_000)} title="Back 10 s">
          −10 s
        </Button>
        <Button
          onClick={() => (group.step(-1), setPlaying(false))}
          title="One frame back (←)"
          data-testid="step-back"
        >
          ◀︎ frame
        </Button>
        <Button tone="primary" onClick={togglePlay} data-testid="play-toggle" aria-pressed={playing}>
          {playing ? 'Pause' : 'Play'}
        </Button>
        <Button
          onClick={() => (group.step(1), setPlaying(false))}
          title="One frame on (→)"
          data-testid="step-forward"
        >
          frame ▶︎
        </Button>
        <Button onClick={() => group.seek(group.now() + 10_000)} title="On 10 s">
          +10 s
        </Button>
        <label className="field-inline">
          Speed
          <select
            value={speed}
            data-testid="playback-speed"
            onChange={(e) => changeSpeed(Number(e.target.value) as Speed)}
          >
            {SPEEDS.map((v) => (
              <option key={v} value={v}>
                {v}x
              </option>
            ))}
          </select>
        </label>
        <span className="pb-clock" ref={timeText} data-testid="playback-time" aria-live="off" />
        <span className="pb-zoom">
          {SPANS.map((z) => (
            <Button
              key={z.label}
              tone="ghost"
              onClick={() => setWindow(z.ms === DAY ? dayOf(group.now()) : around(group.now(), z.ms))}
            >
              {z.label}
            </Button>
          ))}
          <Button
            tone="ghost"
            onClick={() => setWindow(pan(s.window, -(s.window.to - s.window.from) / 2))}
            title="Earlier"
          >
            ‹
          </Button>
          <Button
            tone="ghost"
            onClick={() => setWindow(pan(s.window, (s.window.to - s.window.from) / 2))}
            title="Later"
          >
            ›
          </Button>
        </span>
      </div>

      {shown.length > 0 ? (
        <PlaybackTimeline
          rows={rows}
          window={s.window}
          exportRange={s.exportRange}
          onWindow={setWindow}
          onSeek={seek}
          subscribe={subscribe}
        />
      ) : null}
      {s.status === 'loading' ? <span className="muted">Loading the timeline…</span> : null}

      {shown.length > 0 ? (
        <ExportPanel
          cameras={shown.map((c) => ({ id: c.id, name: c.name }))}
          now={() => Math.round(group.now())}
        />
      ) : null}
    </section>
  )
}

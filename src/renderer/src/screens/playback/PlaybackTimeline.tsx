/**
 * The timeline: one row per camera with its recorded ranges and motion/alarm marks over the visible
 * window, time ticks, the export range, and the playhead. Click or drag to seek (scrub), wheel to zoom
 * around the pointer. The playhead moves by direct DOM updates from the group's clock (never React state
 * per tick). Keyboard: it is a slider (arrows move the playhead; the screen's shortcuts do the rest).
 */
import { useEffect, useRef, useState } from 'react'
import type { RecordingTimeline } from '../../../../shared/contract'
import {
  tickLabel,
  ticks,
  timeAt,
  visibleRanges,
  xOf,
  zoom,
  type Window,
} from '../../video/playback/time-scale'

export interface TimelineRow {
  cameraId: number
  name: string
  timeline: RecordingTimeline | undefined
}

export interface PlaybackTimelineProps {
  rows: TimelineRow[]
  window: Window
  exportRange: { from: number | null; to: number | null }
  onWindow(w: Window): void
  onSeek(wall: number): void
  /** Subscribes to the playhead's time; returns the unsubscribe function. */
  subscribe(listener: (wall: number) => void): () => void
}

const ROW_H = 22
const AXIS_H = 20

export function PlaybackTimeline(p: PlaybackTimelineProps) {
  const host = useRef<HTMLDivElement>(null)
  const head = useRef<SVGLineElement>(null)
  const [width, setWidth] = useState(800)
  const dragging = useRef(false)
  const lastSeek = useRef(0)
  const props = useRef(p)
  props.current = p

  useEffect(() => {
    const el = host.current
    if (!el) return
    const ro = new ResizeObserver(() => setWidth(Math.max(200, el.clientWidth)))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  useEffect(
    () =>
      p.subscribe((wall) => {
        const line = head.current
        if (!line) return
        const x = xOf(props.current.window, width, wall)
        line.setAttribute('x1', String(x))
        line.setAttribute('x2', String(x))
        line.style.display = x < 0 || x > width ? 'none' : ''
        host.current?.setAttribute('aria-valuenow', String(wall))
        host.current?.setAttribute('aria-valuetext', new Date(wall).toLocaleString())
      }),
    [p, width],
  )

  // Wheel zoom needs a non-passive listener (preventDefault keeps the page from scrolling).
  useEffect(() => {
    const el = host.current
    if (!el) return
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const { window: w, onWindow } = props.current
      const at = timeAt(w, width, e.clientX - el.getBoundingClientRect().left)
      onWindow(zoom(w, e.deltaY > 0 ? 1.25 : 0.8, at))
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [width])

  const seekAt = (clientX: number, force: boolean) => {
    const el = host.current
    if (!el) return
    const now = performance.now()
    // While dragging, at most 10 seeks a second (each may fetch a segment).
    if (!force && now - lastSeek.current < 100) return
    lastSeek.current = now
    p.onSeek(timeAt(p.window, width, clientX - el.getBoundingClientRect().left))
  }

  const { step, times } = ticks(p.window, width)
  const msPerPx = (p.window.to - p.window.from) / width
  const height = AXIS_H + p.rows.length * ROW_H + 4
  const ex = p.exportRange
  return (
    <div
      ref={host}
      className="pb-timeline"
      data-testid="playback-timeline"
      data-from={p.window.from}
      data-to={p.window.to}
      role="slider"
      tabIndex={0}
      aria-label="Playback position"
      aria-valuemin={p.window.from}
      aria-valuemax={p.window.to}
      onPointerDown={(e) => {
        dragging.current = true
        e.currentTarget.setPointerCapture(e.pointerId)
        seekAt(e.clientX, true)
      }}
      onPointerMove={(e) => {
        if (dragging.current) seekAt(e.clientX, false)
      }}
      onPointerUp={(e) => {
        if (dragging.current) seekAt(e.clientX, true)
        dragging.current = false
      }}
    >
      <svg width={width} height={height} role="presentation">
        {times.map((t) => {
          const x = xOf(p.window, width, t)
          return (
            <g key={t}>
              <line x1={x} x2={x} y1={AXIS_H - 6} y2={height} className="pb-tick" />
              <text x={x + 3} y={12} className="pb-tick-label">
                {tickLabel(t, step)}
              </text>
            </g>
          )
        })}
        {ex.from !== null && ex.to !== null && ex.to > ex.from ? (
          <rect
            x={xOf(p.window, width, ex.from)}
            width={Math.max(1, xOf(p.window, width, ex.to) - xOf(p.window, width, ex.from))}
            y={AXIS_H - 4}
            height={height - AXIS_H + 4}
            className="pb-export-range"
            data-testid="export-range"
          />
        ) : null}
        {p.rows.map((r, i) => {
          const y = AXIS_H + i * ROW_H
          const ranges = visibleRanges(r.timeline?.ranges ?? [], p.window, msPerPx / 2)
          return (
            <g key={r.cameraId} data-testid="timeline-row" data-camera-id={r.cameraId}>
              <rect x={0} y={y} width={width} height={ROW_H - 4} className="pb-row" />
              {ranges.map((g) => (
                <rect
                  key={g.start}
                  x={xOf(p.window, width, g.start)}
                  width={Math.max(1, xOf(p.window, width, g.end) - xOf(p.window, width, g.start))}
                  y={y}
                  height={ROW_H - 4}
                  className="pb-range"
                  data-testid="timeline-range"
                />
              ))}
              {(r.timeline?.marks ?? []).map((m) => {
                const a = Math.max(m.start, p.window.from)
                const b = Math.min(m.end ?? p.window.to, p.window.to)
                if (b < a) return null
                return (
                  <rect
                    key={m.id}
                    x={xOf(p.window, width, a)}
                    width={Math.max(2, xOf(p.window, width, b) - xOf(p.window, width, a))}
                    y={y + (m.kind === 'alarm' ? 0 : ROW_H - 10)}
                    height={6}
                    className={`pb-mark pb-mark-${m.kind}`}
                    data-testid={`timeline-mark-${m.kind}`}
                  >
                    <title>{`${m.kind}${m.ref ? `: ${m.ref}` : ''} at ${new Date(m.start).toLocaleTimeString()}`}</title>
                  </rect>
                )
              })}
              <text x={4} y={y + 13} className="pb-row-label">
                {r.name}
              </text>
            </g>
          )
        })}
        <line ref={head} x1={-10} x2={-10} y1={0} y2={height} className="pb-head" data-testid="playhead" />
      </svg>
    </div>
  )
}

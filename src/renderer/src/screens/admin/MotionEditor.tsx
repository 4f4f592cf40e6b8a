/**
 * Admin: a camera's motion detection. On/off, sensitivity, minimum area, pictures per second, and zones
 * (where motion counts) and masks (where it never does) drawn as polygons over the camera's snapshot:
 * click the corners, then "Close polygon". Saved with `motion:update`; the station checks it again.
 */
import { useEffect, useRef, useState, type MouseEvent } from 'react'
import type { MotionPoint } from '../../../../shared/schemas/motion'
import type { Camera } from '../../../../shared/schemas/entities'
import { Button, ErrorText, Field } from '../../components/ui'
import { useDeps } from '../../store/context'
import {
  closeDraft,
  draftOf,
  pointAt,
  svgPoints,
  toMotionBody,
  renameZone,
  validateMotion,
  type MotionDraft,
  type PolygonKind,
} from './motion-form'

/** The snapshot's URL with a stream token (an <img> cannot send the session header). */
function useSnapshotUrl(cameraId: number): string | null {
  const { video } = useDeps()
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    if (!video) return
    let live = true
    const base = video.wsBaseUrl.replace(/^ws/, 'http')
    void video.tokens.get().then(
      (t) => live && setUrl(`${base}/api/v1/stream/${cameraId}/snapshot.jpg?token=${encodeURIComponent(t)}`),
      () => {},
    )
    return () => {
      live = false
    }
  }, [video, cameraId])
  return url
}

export function MotionEditor({ camera, onDone }: { camera: Camera; onDone: () => void }) {
  const { transport } = useDeps()
  const [d, setD] = useState<MotionDraft | null>(null)
  const [drawing, setDrawing] = useState<{ kind: PolygonKind; points: MotionPoint[] }>({
    kind: 'zones',
    points: [],
  })
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [noPicture, setNoPicture] = useState(false)
  const surface = useRef<SVGSVGElement>(null)
  const snapshot = useSnapshotUrl(camera.id)

  useEffect(() => {
    transport.request('motion:get', { id: camera.id }).then(
      (s) => setD(draftOf(s)),
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    )
  }, [transport, camera.id])

  if (!d) return <ErrorText>{error ?? 'Loading…'}</ErrorText>
  const set = <K extends keyof MotionDraft>(k: K, v: MotionDraft[K]) => setD({ ...d, [k]: v })

  const click = (e: MouseEvent<SVGSVGElement>) => {
    const box = surface.current?.getBoundingClientRect()
    if (!box) return
    setDrawing({ ...drawing, points: [...drawing.points, pointAt(box, e.clientX, e.clientY)] })
  }
  const close = () => {
    const r = closeDraft(drawing.points)
    if ('problem' in r) return setError(r.problem)
    setError(null)
    set(drawing.kind, [...d[drawing.kind], r.polygon])
    setDrawing({ ...drawing, points: [] })
  }
  const remove = (kind: PolygonKind, i: number) =>
    set(
      kind,
      d[kind].filter((_, j) => j !== i),
    )
  const save = async () => {
    const problem = validateMotion(d)
    if (problem) return setError(problem)
    setBusy(true)
    try {
      await transport.request('motion:update', { id: camera.id, ...toMotionBody(d) })
      onDone()
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="form motion-editor" data-testid="motion-editor">
      <label className="check">
        <input
          type="checkbox"
          checked={d.enabled}
          onChange={(e) => set('enabled', e.target.checked)}
          data-testid="motion-enabled"
        />
        Detect motion on {camera.name}
      </label>
      <div className="motion-settings">
        <Field label={`Sensitivity: ${d.sensitivity}`} hint="Higher: fainter changes count">
          <input
            type="range"
            min={1}
            max={100}
            value={d.sensitivity}
            onChange={(e) => set('sensitivity', Number(e.target.value))}
          />
        </Field>
        <Field label="Minimum area (%)" hint="Of the watched area">
          <input
            type="number"
            min={0.1}
            max={100}
            step={0.1}
            value={d.minAreaPct}
            onChange={(e) => set('minAreaPct', Number(e.target.value))}
          />
        </Field>
        <Field label="Pictures per second" hint="2 to 5 suit most scenes">
          <input
            type="number"
            min={1}
            max={10}
            value={d.fps}
            onChange={(e) => set('fps', Number(e.target.value))}
          />
        </Field>
      </div>
      <div className="motion-surface">
        {snapshot && !noPicture ? (
          <img src={snapshot} alt={`${camera.name} now`} onError={() => setNoPicture(true)} />
        ) : (
          <div className="motion-no-picture">No picture: the camera is offline or disabled</div>
        )}
        <svg
          ref={surface}
          viewBox="0 0 1 1"
          preserveAspectRatio="none"
          onClick={click}
          data-testid="motion-surface"
        >
          {d.zones.map((p, i) => (
            <polygon key={`z${i}`} className="motion-zone" points={svgPoints(p.points)} />
          ))}
          {d.masks.map((p, i) => (
            <polygon key={`m${i}`} className="motion-mask" points={svgPoints(p.points)} />
          ))}
          {drawing.points.length > 0 ? (
            <polyline
              className={drawing.kind === 'zones' ? 'motion-draft-zone' : 'motion-draft-mask'}
              points={svgPoints(drawing.points)}
            />
          ) : null}
        </svg>
      </div>
      <div className="toolbar">
        <label className="check">
          <input
            type="radio"
            checked={drawing.kind === 'zones'}
            onChange={() => setDrawing({ kind: 'zones', points: [] })}
          />
          Draw a zone
        </label>
        <label className="check">
          <input
            type="radio"
            checked={drawing.kind === 'masks'}
            onChange={() => setDrawing({ kind: 'masks', points: [] })}
          />
          Draw a mask
        </label>
        <Button onClick={close} disabled={drawing.points.length < 3} data-testid="motion-close-polygon">
          Close polygon
        </Button>
        <Button
          onClick={() => setDrawing({ ...drawing, points: drawing.points.slice(0, -1) })}
          disabled={drawing.points.length === 0}
        >
          Undo corner
        </Button>
      </div>
      <ul className="motion-polygons">
        {d.zones.length === 0 ? <li>No zone: motion counts anywhere in the picture</li> : null}
        {(['zones', 'masks'] as const).flatMap((kind) =>
          d[kind].map((p, i) => (
            <li key={`${kind}${i}`}>
              {kind === 'zones' ? 'Zone' : 'Mask'} {i + 1} ({p.points.length} corners)
              {kind === 'zones' ? (
                <input
                  value={p.name ?? ''}
                  onChange={(e) => set('zones', renameZone(d.zones, i, e.target.value))}
                  placeholder="Name (for alarm rules)"
                  aria-label={`Zone ${i + 1} name`}
                />
              ) : null}
              <Button tone="ghost" onClick={() => remove(kind, i)}>
                Remove
              </Button>
            </li>
          )),
        )}
      </ul>
      <ErrorText>{error}</ErrorText>
      <div className="dialog-actions">
        <Button onClick={onDone}>Cancel</Button>
        <Button tone="primary" onClick={() => void save()} disabled={busy} data-testid="motion-save">
          Save
        </Button>
      </div>
    </div>
  )
}

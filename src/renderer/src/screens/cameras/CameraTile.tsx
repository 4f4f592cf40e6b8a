/**
 * One camera: its video (JPEG frames on a canvas, JpegVideo; RTSP cameras' H.264/H.265 through MSE,
 * MseVideo; never through React state), with name, online badge, fps and frame age, and for RTSP cameras
 * the codec and how the station sends it, or why the video cannot be shown. Offline: the last frame stays,
 * dimmed, with when it was last seen. The badge says only what the station saw recently (honest-state.ts):
 * "Online · confirmed 02:41", "Offline since …", or "Unknown" (grey: also while the station cannot be
 * reached). The video reconnects at once when the live connection comes back (`liveEpoch`), and a tile
 * that has had no frame for a couple of seconds says "stalled", never a frame rate.
 */
import { memo, useCallback, useRef, useState } from 'react'
import type { Camera } from '../../../../shared/schemas/entities'
import { Badge } from '../../components/ui'
import { useNow } from '../../hooks/useNow'
import { useStation } from '../../store/context'
import { ago } from '../../util/format'
import { cameraBadge, fpsLabel } from '../../util/honest-state'
import type { FrameStats } from '../../video/frame-stream'
import { playsThroughMse, tileStream, type RtspTileView } from '../../video/rtsp-tile'
import { JpegVideo } from './JpegVideo'
import { MseVideo } from './MseVideo'

export interface CameraTileProps {
  camera: Camera
  /** Requested rate (undefined: full rate). */
  fps: number | undefined
  onOpen?: (id: number) => void
  draggable?: boolean
  onDropCamera?: (draggedId: number, ontoId: number) => void
  large?: boolean
  /**
   * The tile fills the screen (fullscreen, a one-tile grid): RTSP cameras play their main stream. Grid
   * tiles play the sub stream when the camera has one. Default: `large`.
   */
  fullSize?: boolean
}

export const CameraTile = memo(function CameraTile({
  camera,
  fps,
  onOpen,
  draggable,
  onDropCamera,
  large,
  fullSize = large ?? false,
}: CameraTileProps) {
  const fpsText = useRef<HTMLSpanElement>(null)
  const ageText = useRef<HTMLSpanElement>(null)
  const [hasFrame, setHasFrame] = useState(false)
  /** RTSP tiles: the codec label and any reason the video cannot be shown. */
  const [rtsp, setRtsp] = useState<RtspTileView | null>(null)
  /** When this tile last received a frame: fresher than the station's lastSeenAt while we watched. */
  const lastFrameAt = useRef<number | null>(null)
  const now = useNow(5000)
  /** The relay's view (connecting, last error, next retry), when the live channel sent one. */
  const health = useStation((s) => s.cameraHealth[camera.id])
  const moving = useStation((s) => s.motion[camera.id] !== undefined)
  const lostAt = useStation((s) => s.lostAt)
  const liveEpoch = useStation((s) => s.liveEpoch)
  const liveConfirmed = useStation((s) => s.cameraConfirmed[camera.id])

  const onStats = useCallback((st: FrameStats) => {
    if (fpsText.current) fpsText.current.textContent = fpsLabel(st, Date.now())
    if (ageText.current) {
      ageText.current.textContent =
        st.lastFrameAt === null
          ? 'no frame yet'
          : `frame ${((Date.now() - st.lastFrameAt) / 1000).toFixed(1)} s old`
    }
    lastFrameAt.current = st.lastFrameAt
    if (st.frames > 0) setHasFrame(true)
  }, [])

  const mse = playsThroughMse(camera.kind)
  const video = !camera.enabled ? null : mse ? (
    <MseVideo
      key={liveEpoch}
      cameraId={camera.id}
      stream={tileStream(camera, fullSize)}
      onView={setRtsp}
      onStats={onStats}
    />
  ) : (
    <JpegVideo key={liveEpoch} cameraId={camera.id} fps={fps} onStats={onStats} />
  )
  // An MSE tile's picture goes when its MediaSource is released (hidden, reconnecting): only while playing.
  const picture = mse ? rtsp?.playing === true : hasFrame
  const problem = mse ? (rtsp?.problem ?? null) : null

  const confirmedAt = Math.max(camera.confirmedAt ?? 0, liveConfirmed ?? 0, lastFrameAt.current ?? 0) || null
  const badge = cameraBadge({ ...camera, confirmedAt }, now, lostAt)
  const online = badge.state === 'online'
  return (
    <figure
      className={`tile${online ? '' : ' tile-offline'}${large ? ' tile-large' : ''}`}
      data-testid="camera-tile"
      data-camera-id={camera.id}
      data-online={online}
      data-state={badge.state}
      tabIndex={0}
      aria-label={`${camera.name}, ${badge.text}`}
      onDoubleClick={() => onOpen?.(camera.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen?.(camera.id)
      }}
      draggable={draggable}
      onDragStart={(e) => e.dataTransfer.setData('text/x-camera-id', String(camera.id))}
      onDragOver={(e) => {
        if (onDropCamera) e.preventDefault()
      }}
      onDrop={(e) => {
        const dragged = Number(e.dataTransfer.getData('text/x-camera-id'))
        if (dragged && dragged !== camera.id) onDropCamera?.(dragged, camera.id)
      }}
    >
      {video}
      {problem ? (
        <div className="tile-placeholder tile-problem" role="status" data-testid="tile-problem">
          {problem}
        </div>
      ) : !picture ? (
        <div className="tile-placeholder">
          {badge.state === 'offline' ? 'No video' : 'Waiting for video…'}
        </div>
      ) : null}
      <figcaption className="tile-top">
        <span className="tile-name">{camera.name}</span>
        <span className="tile-tags">
          {rtsp?.label && mse ? (
            <span className="tile-codec" data-testid="tile-codec">
              {rtsp.label}
            </span>
          ) : null}
          {moving ? <Badge tone="warn">Motion</Badge> : null}
          <Badge tone={badge.tone}>
            <span data-testid="tile-state">{badge.text}</span>
          </Badge>
        </span>
      </figcaption>
      <div className="tile-bottom">
        {online ? (
          <>
            <span ref={fpsText}>– fps</span>
            <span ref={ageText} />
          </>
        ) : (
          <>
            <span data-testid="tile-last-seen">Last seen {ago(confirmedAt, now)}</span>
            {health && health.state !== 'online' && lostAt === null ? (
              <span data-testid="tile-health" title={health.lastError ?? undefined}>
                {health.state === 'connecting'
                  ? 'connecting…'
                  : health.lastError
                    ? health.lastError
                    : health.state}
                {health.nextRetryAt !== null && health.nextRetryAt > now
                  ? ` · retry in ${Math.ceil((health.nextRetryAt - now) / 1000)} s`
                  : ''}
              </span>
            ) : null}
          </>
        )}
      </div>
    </figure>
  )
})

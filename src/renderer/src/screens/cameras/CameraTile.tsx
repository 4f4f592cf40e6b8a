/**
 * One camera: its frames drawn on a canvas by a FrameStream (never through React state; in the video
 * worker where the browser allows), with name, online badge, fps and frame age. Offline: the last frame
 * stays, dimmed, with when it was last seen.
 */
import { memo, useEffect, useRef, useState } from 'react'
import type { Camera } from '../../../../shared/schemas/entities'
import { Badge } from '../../components/ui'
import { useNow } from '../../hooks/useNow'
import { useDeps, useStation } from '../../store/context'
import { ago } from '../../util/format'
import { FrameStream } from '../../video/frame-stream'

export interface CameraTileProps {
  camera: Camera
  /** Requested rate (undefined: full rate). */
  fps: number | undefined
  onOpen?: (id: number) => void
  draggable?: boolean
  onDropCamera?: (draggedId: number, ontoId: number) => void
  large?: boolean
}

export const CameraTile = memo(function CameraTile({
  camera,
  fps,
  onOpen,
  draggable,
  onDropCamera,
  large,
}: CameraTileProps) {
  const deps = useDeps()
  const host = useRef<HTMLDivElement>(null)
  const fpsText = useRef<HTMLSpanElement>(null)
  const ageText = useRef<HTMLSpanElement>(null)
  const stream = useRef<FrameStream | null>(null)
  const [hasFrame, setHasFrame] = useState(false)
  /** When this tile last received a frame: fresher than the station's lastSeenAt while we watched. */
  const lastFrameAt = useRef<number | null>(null)
  const now = useNow(5000)
  /** The relay's view (connecting, last error, next retry), when the live channel sent one. */
  const health = useStation((s) => s.cameraHealth[camera.id])

  useEffect(() => {
    const video = deps.video
    if (!video || !host.current || !camera.enabled) return
    const s = new FrameStream({
      cameraId: camera.id,
      fps,
      host: host.current,
      wsBaseUrl: video.wsBaseUrl,
      token: () => video.tokens.get(),
      onStats: (st) => {
        if (fpsText.current) fpsText.current.textContent = `${st.fps} fps`
        if (ageText.current) {
          ageText.current.textContent =
            st.lastFrameAt === null
              ? 'no frame yet'
              : `frame ${((Date.now() - st.lastFrameAt) / 1000).toFixed(1)} s old`
        }
        lastFrameAt.current = st.lastFrameAt
        if (st.frames > 0) setHasFrame(true)
      },
    })
    stream.current = s
    s.start()
    return () => {
      s.stop()
      stream.current = null
    }
    // `fps` is left out on purpose: a rate change goes through setFps below, without reconnecting.
  }, [deps.video, camera.id, camera.enabled])

  useEffect(() => stream.current?.setFps(fps), [fps])

  const online = camera.isOnline
  return (
    <figure
      className={`tile${online ? '' : ' tile-offline'}${large ? ' tile-large' : ''}`}
      data-testid="camera-tile"
      data-camera-id={camera.id}
      data-online={online}
      tabIndex={0}
      aria-label={`${camera.name}, ${online ? 'online' : 'offline'}`}
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
      <div ref={host} className="tile-video-host" />
      {!hasFrame ? (
        <div className="tile-placeholder">{online ? 'Waiting for video…' : 'No video'}</div>
      ) : null}
      <figcaption className="tile-top">
        <span className="tile-name">{camera.name}</span>
        <Badge tone={online ? 'ok' : 'bad'}>{online ? 'Online' : 'Offline'}</Badge>
      </figcaption>
      <div className="tile-bottom">
        {online ? (
          <>
            <span ref={fpsText}>– fps</span>
            <span ref={ageText} />
          </>
        ) : (
          <>
            <span data-testid="tile-last-seen">
              Last seen {ago(Math.max(camera.lastSeenAt ?? 0, lastFrameAt.current ?? 0) || null, now)}
            </span>
            {health && health.state !== 'online' ? (
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

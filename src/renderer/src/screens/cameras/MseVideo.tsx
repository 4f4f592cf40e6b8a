/**
 * An RTSP camera's video in its tile: a <video> fed by an MseStream (src/renderer/src/video/mse) with the
 * station's fMP4 stream. Off screen or with the window hidden the socket closes and the MediaSource is
 * released; shown again, it reconnects. Status messages on the stream go to the store, so the tile's badges
 * work as for any camera. Only changes of what the tile says pass through React (rtspTileView); the
 * figures (fps, last frame) are read once a second.
 */
import { memo, useEffect, useRef } from 'react'
import type { CameraStreamKind } from '../../../../shared/schemas/fmp4-stream'
import { useDeps, useStation } from '../../store/context'
import type { FrameStats } from '../../video/frame-stream'
import { createMseStream } from '../../video/mse'
import { rtspTileView, sameView, type RtspTileView } from '../../video/rtsp-tile'
import { useLatest } from './use-latest'

export interface MseVideoProps {
  cameraId: number
  stream: CameraStreamKind
  /** What the tile should say (codec label, problem, playing), on each change. */
  onView: (v: RtspTileView) => void
  /** About once a second, as for JPEG tiles. */
  onStats: (s: FrameStats) => void
}

export const MseVideo = memo(function MseVideo({ cameraId, stream, onView, onStats }: MseVideoProps) {
  const deps = useDeps()
  const applyCameraStatus = useStation((s) => s.applyCameraStatus)
  const ref = useRef<HTMLVideoElement>(null)
  const view = useLatest(onView)
  const stats = useLatest(onStats)

  useEffect(() => {
    const video = deps.video
    const el = ref.current
    if (!video || !el) return
    let shown: RtspTileView | null = null
    const s = createMseStream({
      video: el,
      cameraId,
      stream,
      wsBaseUrl: video.wsBaseUrl,
      // A token the station refused (expired, revoked) is dropped, so the retry fetches a fresh one.
      token: (refused) => {
        if (refused) video.tokens.forget(refused)
        return video.tokens.get()
      },
      onStatus: (st) => {
        const v = rtspTileView(st)
        if (shown && sameView(shown, v)) return
        shown = v
        view.current(v)
      },
      onCameraStatus: (m) =>
        applyCameraStatus({
          type: 'camera.status',
          cameraId,
          online: m.online,
          state: m.state,
          lastError: m.lastError,
          nextRetryAt: m.nextRetryAt,
        }),
    })
    s.start()
    let frames: number | null = null
    let lastFrameAt: number | null = null
    const ticker = setInterval(() => {
      const st = s.stats()
      // Frames the video decoded (shown), else frames appended; counts start over with each MediaSource.
      const n = st.decodedFrames ?? st.framesAppended
      const fps = frames === null ? 0 : Math.max(0, n - frames)
      frames = n
      if (fps > 0) lastFrameAt = Date.now()
      stats.current({ fps, lastFrameAt, frames: st.framesAppended, connected: st.socket === 'open' })
    }, 1000)
    return () => {
      clearInterval(ticker)
      s.stop()
    }
  }, [deps.video, cameraId, stream, applyCameraStatus, view, stats])

  return (
    <div className="tile-video-host">
      <video
        ref={ref}
        className="tile-video"
        data-testid="tile-video"
        data-stream={stream}
        muted
        playsInline
      />
    </div>
  )
})

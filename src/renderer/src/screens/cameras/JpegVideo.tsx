/**
 * A JPEG camera's video in its tile (push, MJPEG, snapshot): a FrameStream draws the frames on a canvas of
 * its own inside the host, never through React state (in the video worker where the browser allows).
 */
import { memo, useEffect, useRef } from 'react'
import { useDeps } from '../../store/context'
import { FrameStream, type FrameStats } from '../../video/frame-stream'
import { useLatest } from './use-latest'

export interface JpegVideoProps {
  cameraId: number
  /** Requested rate (undefined: full rate); changed without reconnecting. */
  fps: number | undefined
  /** About once a second: fps, last frame, frames so far. */
  onStats: (s: FrameStats) => void
}

export const JpegVideo = memo(function JpegVideo({ cameraId, fps, onStats }: JpegVideoProps) {
  const deps = useDeps()
  const host = useRef<HTMLDivElement>(null)
  const stream = useRef<FrameStream | null>(null)
  const stats = useLatest(onStats)

  useEffect(() => {
    const video = deps.video
    if (!video || !host.current) return
    const s = new FrameStream({
      cameraId,
      fps,
      host: host.current,
      wsBaseUrl: video.wsBaseUrl,
      // A token the station refused (expired, or from before a restart) is dropped: a fresh one is fetched.
      token: (refused) => {
        if (refused) video.tokens.forget(refused)
        return video.tokens.get()
      },
      onStats: (st) => stats.current(st),
    })
    stream.current = s
    s.start()
    return () => {
      s.stop()
      stream.current = null
    }
    // `fps` is left out on purpose: a rate change goes through setFps below, without reconnecting.
  }, [deps.video, cameraId, stats])

  useEffect(() => stream.current?.setFps(fps), [fps])

  return <div ref={host} className="tile-video-host" />
})

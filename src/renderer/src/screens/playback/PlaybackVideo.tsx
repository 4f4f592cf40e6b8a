/**
 * One camera's recorded video: a <video> driven by a PlaybackPlayer that joins the screen's group (one
 * clock for every camera shown). Only status changes go through React; frames never do.
 */
import { memo, useEffect, useRef, useState } from 'react'
import type { PlaybackGroup } from '../../video/playback/playback-group'
import { PlaybackPlayer, type PlaybackSource, type PlayerStatus } from '../../video/playback/playback-player'

export interface PlaybackVideoProps {
  cameraId: number
  name: string
  group: PlaybackGroup
  source: PlaybackSource
}

export const PlaybackVideo = memo(function PlaybackVideo({
  cameraId,
  name,
  group,
  source,
}: PlaybackVideoProps) {
  const ref = useRef<HTMLVideoElement>(null)
  const [status, setStatus] = useState<PlayerStatus>({ state: 'idle', message: null, codec: null })

  useEffect(() => {
    const el = ref.current
    if (!el) return
    const player = new PlaybackPlayer(el, cameraId, source, { onStatus: setStatus })
    group.add(player)
    return () => {
      group.remove(player)
      player.destroy()
    }
  }, [cameraId, group, source])

  const problem =
    status.state === 'no-recording' || status.state === 'unsupported' || status.state === 'error'
  return (
    <figure
      className="pb-tile"
      data-testid="playback-tile"
      data-camera-id={cameraId}
      data-state={status.state}
    >
      <video ref={ref} className="pb-video" data-testid="playback-video" muted playsInline />
      <figcaption className="pb-caption">
        <span>{name}</span>
        {status.state === 'loading' ? <span className="muted">loading…</span> : null}
      </figcaption>
      {problem ? (
        <div className="pb-overlay" role="status" data-testid="playback-problem">
          {status.message}
        </div>
      ) : null}
    </figure>
  )
})

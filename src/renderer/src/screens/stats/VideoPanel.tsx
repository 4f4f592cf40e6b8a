/** Statistics: the live video relay (cameras online, frames in and out, viewers, relay latency). */
import type { VideoStats } from '../../../../shared/contract'
import { bytes, ms } from '../../util/format'

export function VideoPanel({ video }: { video: VideoStats | null }) {
  if (!video) return null
  const online = video.cameras.filter((c) => c.online).length
  const fpsOut = video.cameras.reduce(
    (sum, c) => sum + c.fpsOut.full * c.viewers.full + c.fpsOut.reduced * c.viewers.reduced,
    0,
  )
  return (
    <div className="panel" data-testid="video-panel">
      <h2>Live video</h2>
      <dl className="figures">
        <div>
          <dt>Cameras online</dt>
          <dd>
            {online} / {video.cameras.length}
          </dd>
        </div>
        <div>
          <dt>Frames in</dt>
          <dd>
            {video.totals.fpsIn.toFixed(1)} fps · {bytes(Math.round(video.totals.bytesInPerSec))}/s
          </dd>
        </div>
        <div>
          <dt>Frames out</dt>
          <dd>
            {fpsOut.toFixed(1)} fps · {bytes(Math.round(video.totals.bytesOutPerSec))}/s
          </dd>
        </div>
        <div>
          <dt>Viewers</dt>
          <dd>
            {video.viewers} / {video.maxViewers}
          </dd>
        </div>
        <div>
          <dt>Relay latency</dt>
          <dd>
            p50 {ms(video.relayLatencyMs.p50Ms)} · p99 {ms(video.relayLatencyMs.p99Ms)}
          </dd>
        </div>
      </dl>
    </div>
  )
}

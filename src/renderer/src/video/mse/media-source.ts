/**
 * One MediaSource with one SourceBuffer on a video element, and its release: the object URL revoked, the
 * element detached (which closes the MediaSource and frees the decoder). Events of a released attachment
 * are ignored, so callers never see a stale one.
 */
import { mimeFor } from './codecs'

export interface Attachment {
  readonly mediaSource: MediaSource
  /** Null until the MediaSource opens. */
  readonly sourceBuffer: SourceBuffer | null
  /** Open, with a SourceBuffer that is not busy. */
  ready(): boolean
  release(): void
}

export interface AttachHandlers {
  open(sb: SourceBuffer): void
  updateEnd(): void
  error(message: string): void
}

export function attachMediaSource(video: HTMLVideoElement, codec: string, h: AttachHandlers): Attachment {
  const ms = new MediaSource()
  let url: string | null = URL.createObjectURL(ms)
  let sb: SourceBuffer | null = null
  let live = true
  const revoke = () => {
    if (url) URL.revokeObjectURL(url)
    url = null
  }
  ms.addEventListener(
    'sourceopen',
    () => {
      if (!live) return
      // The element holds the MediaSource now; the URL is not needed any more.
      revoke()
      try {
        sb = ms.addSourceBuffer(mimeFor(codec))
        // 'segments': fragments land at their own timestamps, so skipped frames leave visible gaps the
        // live-edge keeper can jump (see timeline.ts for streams that restart).
        sb.mode = 'segments'
      } catch (e) {
        h.error(`cannot play ${codec}: ${e instanceof Error ? e.message : String(e)}`)
        return
      }
      sb.addEventListener('updateend', () => {
        if (live) h.updateEnd()
      })
      h.open(sb)
    },
    { once: true },
  )
  video.src = url
  return {
    mediaSource: ms,
    get sourceBuffer() {
      return sb
    },
    ready: () => live && sb !== null && !sb.updating && ms.readyState === 'open',
    release() {
      if (!live) return
      live = false
      revoke()
      if (sb && ms.readyState === 'open' && sb.updating) {
        try {
          sb.abort()
        } catch {
          /* already closing */
        }
      }
      video.removeAttribute('src')
      video.load()
    },
  }
}

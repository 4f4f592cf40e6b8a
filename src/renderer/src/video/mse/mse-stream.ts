/**
 * A camera's fMP4 stream from the station (`/ws/stream/:cameraId?stream=main|sub`, protocol in
 * src/shared/schemas/fmp4-stream.ts) played by a LivePlayer on a <video>. The text `init` announces the
 * codec (checked with MediaSource.isTypeSupported: a codec this page cannot decode is reported and the socket
 * closed, never a silent black tile), binary messages go to the player. Reconnects with backoff after a close
 * or a decode error. While the video is off screen or the window is hidden (built-in watcher, or the
 * caller's pause()/resume()), the socket is closed and the MediaSource released; shown again, it reconnects.
 * The query says `hevc=1` when this page decodes H.265, so the station may send it as is. A token the
 * station refused (the socket closed before it opened, or with 4401) is handed back on the next attempt so
 * that the caller fetches a fresh one.
 */
import {
  HEVC_QUERY_FLAG,
  type CameraStreamKind,
  type Fmp4StreamMode,
} from '../../../../shared/schemas/fmp4-stream'
import type { StreamStatusMessage } from '../../../../shared/schemas/video'
import { backoffDelay } from '../../transport/live-channel'
import { canPlayHevc } from './codecs'
import {
  createLivePlayer,
  type LivePlayer,
  type LivePlayerOptions,
  type LivePlayerStats,
  type PlayerStatus,
} from './live-player'
import { parseStreamText } from './stream-protocol'
import { watchVisibility } from './visibility'

export type SocketState = 'idle' | 'connecting' | 'open' | 'closed'

export interface MseStreamStatus {
  player: PlayerStatus
  socket: SocketState
  /** Paused by the caller or because the video cannot be seen (socket closed, MediaSource released). */
  paused: boolean
  /** What the last init announced. */
  stream: CameraStreamKind | null
  /** How the station makes that stream (`direct` when the init does not say). */
  mode: Fmp4StreamMode | null
  size: { width: number; height: number } | null
  /** The station's last error message (text `error`), until video flows again. */
  error: string | null
  /** How the last connection ended. */
  closed: { code: number; reason: string } | null
  /** Epoch ms of the next connection attempt, while waiting for it. */
  retryAt: number | null
}

export interface MseStreamStats extends LivePlayerStats {
  socket: SocketState
  connects: number
}

export interface MseStreamOptions {
  video: HTMLVideoElement
  cameraId: number
  stream?: CameraStreamKind
  /** ws:// or wss:// origin of the station. */
  wsBaseUrl: string
  /**
   * A stream token for `?token=` (browsers cannot send headers on a WebSocket). `refused`: the token the
   * station did not take on the last attempt (expired, revoked): do not answer it again.
   */
  token?: (refused?: string) => Promise<string>
  /** Ask for H.265 as is (`hevc=1`); default: whether the player's codec check takes H.265. */
  hevc?: boolean
  /** 'auto' (default): pause while the video (or `observe`) is off screen or the window hidden. */
  visibility?: 'auto' | 'manual'
  observe?: Element
  /** Hidden this long before the stream stops (1000 ms). */
  hideDelayMs?: number
  player?: Omit<LivePlayerOptions, 'onStatus'>
  backoff?: { initialMs?: number; maxMs?: number }
  onStatus?: (s: MseStreamStatus) => void
  onCameraStatus?: (s: StreamStatusMessage) => void
}

export interface MseStream {
  start(): void
  /** Closes the socket and destroys the player for good. */
  stop(): void
  pause(): void
  resume(): void
  status(): MseStreamStatus
  stats(): MseStreamStats
}

export function createMseStream(o: MseStreamOptions): MseStream {
  return new Fmp4Stream(o)
}

const OPEN = 1
/** The credential the socket was opened with is no longer valid (src/main/auth/open-connections.ts). */
const CLOSE_REVOKED = 4401

class Fmp4Stream implements MseStream {
  private readonly player: LivePlayer
  private socket: WebSocket | null = null
  private socketState: SocketState = 'idle'
  private started = false
  private stopped = false
  private manualPause = false
  private visible: boolean | null = null
  private running = false
  private unwatch: (() => void) | null = null
  private retry: ReturnType<typeof setTimeout> | null = null
  private retryAt: number | null = null
  private attempt = 0
  private connects = 0
  private generation = 0
  private stream: CameraStreamKind | null = null
  private mode: Fmp4StreamMode | null = null
  private refused: string | undefined = undefined
  private size: MseStreamStatus['size'] = null
  private error: string | null = null
  private closed: MseStreamStatus['closed'] = null

  constructor(private readonly o: MseStreamOptions) {
    this.player = createLivePlayer(o.video, {
      ...o.player,
      onStatus: (s) => {
        // Playing: the connection is good (the backoff starts over). A decode error: start over on a new
        // connection (a fresh init and keyframe), backing off while it keeps failing.
        if (s.mode === 'playing') this.attempt = 0
        if (s.mode === 'error' && this.running) this.reconnect()
        this.emit()
      },
    })
  }

  start(): void {
    if (this.started || this.stopped) return
    this.started = true
    if (this.o.visibility === 'manual') this.visible = true
    else
      this.unwatch = watchVisibility(
        this.o.observe ?? this.o.video,
        (v) => {
          this.visible = v
          this.apply()
        },
        { hideDelayMs: this.o.hideDelayMs ?? 1000 },
      )
    this.apply()
  }

  stop(): void {
    if (this.stopped) return
    this.stopped = true
    this.unwatch?.()
    this.unwatch = null
    this.running = false
    this.disconnect('viewer left')
    this.player.destroy()
  }

  pause(): void {
    this.manualPause = true
    this.apply()
  }

  resume(): void {
    this.manualPause = false
    this.apply()
  }

  status(): MseStreamStatus {
    return {
      player: this.player.status(),
      socket: this.socketState,
      paused: this.started && !this.running,
      stream: this.stream,
      mode: this.mode,
      size: this.size,
      error: this.error,
      closed: this.closed,
      retryAt: this.retryAt,
    }
  }

  stats(): MseStreamStats {
    return { ...this.player.stats(), socket: this.socketState, connects: this.connects }
  }

  /** Runs while started, not paused by the caller and visible. */
  private apply(): void {
    const run = this.started && !this.stopped && !this.manualPause && this.visible === true
    if (run === this.running) return
    this.running = run
    if (run) {
      this.player.resume()
      this.attempt = 0
      void this.connect()
    } else {
      this.disconnect('hidden')
      this.player.pause()
    }
    this.emit()
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation
    this.setSocket('connecting')
    let token: string | null
    try {
      const refused = this.refused
      this.refused = undefined
      token = this.o.token ? await this.o.token(refused) : null
    } catch (e) {
      this.error = `no stream token: ${e instanceof Error ? e.message : String(e)}`
      return this.scheduleRetry(gen)
    }
    if (gen !== this.generation || !this.running) return
    const q = new URLSearchParams({ stream: this.o.stream ?? 'main' })
    if (this.o.hevc ?? canPlayHevc(this.o.player?.canPlay)) q.set(HEVC_QUERY_FLAG, '1')
    if (token) q.set('token', token)
    const s = new WebSocket(`${this.o.wsBaseUrl}/ws/stream/${this.o.cameraId}?${q}`)
    s.binaryType = 'arraybuffer'
    this.socket = s
    this.connects++
    let opened = false
    s.onopen = () => {
      opened = true
      this.setSocket('open')
    }
    s.onmessage = (ev: MessageEvent<unknown>) => {
      if (typeof ev.data === 'string') this.text(ev.data)
      else if (ev.data instanceof ArrayBuffer) {
        // Video flows: earlier station errors are over.
        if (this.error) {
          this.error = null
          this.emit()
        }
        this.player.push(ev.data)
      }
    }
    s.onclose = (ev) => {
      if (this.socket !== s) return
      this.socket = null
      this.closed = { code: ev.code, reason: ev.reason }
      // Refused at the upgrade (a browser sees only a close) or revoked later: the next try needs a new token.
      if (token && (!opened || ev.code === CLOSE_REVOKED)) this.refused = token
      this.setSocket('closed')
      if (this.player.status().mode !== 'unsupported') this.scheduleRetry(gen)
    }
  }

  private text(data: string): void {
    const m = parseStreamText(data)
    if (!m) return
    if (m.type === 'status') return this.o.onCameraStatus?.(m)
    if (m.type === 'error') {
      this.error = m.reason
      return this.emit()
    }
    this.stream = m.stream
    this.mode = m.mode ?? 'direct'
    this.size = m.width && m.height ? { width: m.width, height: m.height } : null
    // Unsupported: no point in receiving what cannot be shown. Shown again later, the tile asks again.
    if (!this.player.setCodec(m.codec)) this.disconnect('codec unsupported')
    this.emit()
  }

  private reconnect(): void {
    this.disconnect('restarting')
    this.scheduleRetry(this.generation)
  }

  private disconnect(reason: string): void {
    this.generation++
    if (this.retry) clearTimeout(this.retry)
    this.retry = null
    this.retryAt = null
    const s = this.socket
    this.socket = null
    if (s) {
      s.onopen = s.onmessage = s.onclose = null
      if (s.readyState === OPEN || s.readyState === WebSocket.CONNECTING) s.close(1000, reason)
      this.setSocket('closed')
    }
  }

  private scheduleRetry(gen: number): void {
    if (!this.running || gen !== this.generation || this.retry) return
    const delay = backoffDelay(
      this.attempt++,
      this.o.backoff?.initialMs ?? 1000,
      this.o.backoff?.maxMs ?? 15_000,
      Math.random(),
    )
    this.retryAt = Date.now() + delay
    this.retry = setTimeout(() => {
      this.retry = null
      this.retryAt = null
      if (this.running) void this.connect()
    }, delay)
    this.emit()
  }

  private setSocket(state: SocketState): void {
    if (state === this.socketState) return
    this.socketState = state
    this.emit()
  }

  private emit(): void {
    this.o.onStatus?.(this.status())
  }
}

/**
 * The fragmented-MP4 viewer protocol of `/ws/stream/:cameraId?stream=main|sub[&hevc=1]` (H.264/H.265
 * cameras): a text `init` message first, then binary messages, the init segment (ftyp+moov) and one fragment
 * (moof+mdat) per frame. A new `init` may come at any time (the codec or the picture changed); its init
 * segment follows. Text `error` messages say why the station cannot stream; the socket may also close with a
 * code and reason.
 */

/** Which of a camera's streams: full resolution, or the smaller one for grid tiles. */
export type CameraStreamKind = 'main' | 'sub'

/**
 * The query flag a viewer sets (`hevc=1`) when it can decode H.265 itself (MediaSource.isTypeSupported at
 * run time): the station may then send an H.265 stream as is instead of falling back.
 */
export const HEVC_QUERY_FLAG = 'hevc'

/**
 * What the station is sending, for the tile to say: `direct`, the camera's stream as is; `sub`, the camera's
 * H.264 sub stream because the main stream is H.265 and the viewer cannot decode it; `transcoded`, a
 * low-resolution H.264 transcode, the last resort.
 */
export type Fmp4StreamMode = 'direct' | 'sub' | 'transcoded'

export interface Fmp4InitMessage {
  type: 'init'
  /** RFC 6381 codec string, e.g. `avc1.640028` (H.264) or `hvc1.1.6.L93.B0` (H.265). */
  codec: string
  stream: CameraStreamKind
  /**
   * direct: the stream asked for, as the camera sends it · sub: the camera's sub stream instead (its main
   * stream is H.265 and this client cannot decode it) · transcoded: the station's low-resolution H.264.
   * Absent (older stations): direct.
   */
  mode?: Fmp4StreamMode
  width?: number
  height?: number
}

export interface Fmp4ErrorMessage {
  type: 'error'
  reason: string
}

export type Fmp4TextMessage = Fmp4InitMessage | Fmp4ErrorMessage

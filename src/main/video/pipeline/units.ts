/**
 * What flows from a camera's source through its channel to every consumer (viewers, recorders,
 * detectors): codec-aware units, shared as the same Buffers by every consumer (never copied).
 *
 * - `JpegUnit`: one whole JPEG (MJPEG, snapshot and push cameras). Every JPEG stands alone: a consumer
 *   that falls behind keeps only the latest.
 * - `VideoUnit`: one fMP4 fragment (moof+mdat) of H.264/H.265. Only a fragment that starts with a key
 *   frame can be decoded without the ones before it: a consumer that falls behind drops fragments until
 *   the next key frame.
 * - `InitSegment`: ftyp+moov of a video stream, and its codec string (`avc1.640028`). The channel holds the
 *   current one and hands it to every consumer before its first video unit (and again when it changes).
 */

export type VideoCodec = 'h264' | 'h265'

export interface JpegUnit {
  kind: 'jpeg'
  data: Buffer
  /** The channel's running number for the camera's units. */
  seq: number
  /** performance.now() when the station received it (relay latency, frame age). */
  receivedAt: number
  /** Epoch ms when the station received it. */
  wallAt: number
}

export interface VideoUnit {
  kind: 'video'
  codec: VideoCodec
  /** One fMP4 fragment: moof+mdat. */
  data: Buffer
  /** Decode time of the fragment's first sample, in the init segment's timescale. */
  dts: number
  /** Presentation time of the fragment's first sample, in the init segment's timescale. */
  pts: number
  /** The fragment's duration in the timescale, when the source knows it. */
  duration?: number
  /** The fragment starts with a key frame (IDR/IRAP): a decoder can start here. */
  keyframe: boolean
  seq: number
  receivedAt: number
  wallAt: number
}

export type MediaUnit = JpegUnit | VideoUnit

export interface InitSegment {
  kind: 'init'
  codec: VideoCodec
  /** RFC 6381 codec string, for MSE and HLS: `avc1.640028`, `hvc1.1.6.L93.B0`. */
  codecString: string
  /** ftyp+moov. */
  data: Buffer
  /** Units of `dts`/`pts`/`duration` per second (90000 for most cameras). */
  timescale: number
  width?: number
  height?: number
}

/** What a consumer is handed: a unit, or the init segment that must precede video units. */
export type MediaItem = MediaUnit | InitSegment

/** A video fragment as a source hands it to its channel (the channel numbers and timestamps it). */
export type VideoFragment = Omit<VideoUnit, 'kind' | 'seq' | 'receivedAt' | 'wallAt'>

/** A unit a decoder can start from: every JPEG, a video fragment starting with a key frame. */
export function isKey(u: MediaUnit): boolean {
  return u.kind === 'jpeg' || u.keyframe
}

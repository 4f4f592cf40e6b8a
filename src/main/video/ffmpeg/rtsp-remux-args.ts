/**
 * ffmpeg argument arrays (never a shell string) for RTSP cameras: remux to fragmented MP4 on stdout (the
 * normal case: the camera's H.264/H.265 is copied, never re-encoded), transcode to low-resolution H.264
 * (last resort for H.265 sources a browser cannot play), and one JPEG from a keyframe (snapshots).
 *
 * Written for ffmpeg 5.1 and later: there `-timeout` is the rtsp demuxer's socket I/O timeout in
 * microseconds (before 5.0 it was `-stimeout`, and `-timeout` meant something else).
 */

export interface RtspInput {
  /** An rtsp:// URL without credentials: the auth proxy's loopback URL (see rtsp-auth-proxy.ts). */
  url: string
  /** RTP over the RTSP connection (`tcp`, the default: works through NAT and firewalls) or over UDP. */
  transport?: 'tcp' | 'udp'
  /**
   * ffmpeg gives up on a camera silent this long (socket I/O timeout). Measured with ffmpeg 5.1: a camera
   * that stalls mid-stream makes ffmpeg exit after about twice this.
   */
  timeoutMs?: number
  /** Upper bound on the bytes read to find the stream's parameters (enough for a large keyframe). */
  probeSizeBytes?: number
  /** Upper bound on the stream time read to find them (ffmpeg stops earlier once it has them). */
  analyzeDurationMs?: number
  /**
   * `-fflags nobuffer`: drop the packets read while probing instead of passing them on. It saves no
   * latency once the stream runs (a remux passes each packet on as it comes either way) and can drop the
   * first keyframe, so a viewer waits one more GOP: off unless asked for.
   */
  discardProbePackets?: boolean
}

export const DEFAULT_RTSP_TIMEOUT_MS = 5000

export const GLOBAL_ARGS = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+warning'] as const

/** Fragmented MP4 for MSE: one fragment per frame, the init segment first, flushed at once. */
export const FMP4_OUTPUT_ARGS = [
  '-f',
  'mp4',
  '-movflags',
  'frag_every_frame+empty_moov+default_base_moof',
  '-flush_packets',
  '1',
  'pipe:1',
] as const

/** The first video stream only, for now (audio comes later, copied when MSE can play it). */
const VIDEO_ONLY = ['-map', '0:v:0', '-an', '-sn', '-dn'] as const

/** Throws when the URL carries credentials: they would be on ffmpeg's command line, readable by anyone. */
export function assertNoCredentials(url: string): void {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error('not a valid rtsp:// URL')
  }
  if (parsed.protocol !== 'rtsp:' && parsed.protocol !== 'rtsps:') throw new Error('not an rtsp:// URL')
  if (parsed.username || parsed.password) {
    throw new Error('credentials must not be on the ffmpeg command line: connect through the RTSP auth proxy')
  }
}

export function rtspInputArgs(input: RtspInput): string[] {
  assertNoCredentials(input.url)
  const timeoutUs = Math.round((input.timeoutMs ?? DEFAULT_RTSP_TIMEOUT_MS) * 1000)
  return [
    ...['-rtsp_transport', input.transport ?? 'tcp'],
    ...['-timeout', String(timeoutUs)],
    ...['-allowed_media_types', 'video'],
    ...(input.discardProbePackets ? ['-fflags', 'nobuffer'] : []),
    ...['-flags', 'low_delay'],
    ...['-probesize', String(input.probeSizeBytes ?? 2_000_000)],
    ...['-analyzeduration', String(Math.round((input.analyzeDurationMs ?? 4000) * 1000))],
    // No frame rate estimation: it holds the start back by about 20 frames and a remux does not need it.
    ...['-fpsprobesize', '0'],
    ...['-i', input.url],
  ]
}

/** Camera video copied into fragmented MP4 on stdout. */
export function rtspRemuxArgs(input: RtspInput): string[] {
  return [...GLOBAL_ARGS, ...rtspInputArgs(input), ...VIDEO_ONLY, '-c:v', 'copy', ...FMP4_OUTPUT_ARGS]
}

export interface TranscodeOptions {
  /** Output width at most this (height follows the aspect ratio); default 640. */
  maxWidth?: number
  bitrateKbps?: number
  /** A keyframe every this many seconds, whatever the camera's frame rate. */
  keyframeSeconds?: number
}

/** Camera video decoded and re-encoded as low-resolution H.264 (costly: for sources MSE cannot play). */
export function rtspTranscodeArgs(input: RtspInput, options: TranscodeOptions = {}): string[] {
  const width = Math.max(16, Math.round(options.maxWidth ?? 640))
  const kbps = Math.max(50, Math.round(options.bitrateKbps ?? 800))
  const gop = options.keyframeSeconds ?? 2
  return [
    ...GLOBAL_ARGS,
    ...rtspInputArgs(input),
    ...VIDEO_ONLY,
    ...['-vf', `scale='min(${width},iw)':-2`],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'],
    ...['-profile:v', 'main', '-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`],
    ...['-force_key_frames', `expr:gte(t,n_forced*${gop})`],
    ...FMP4_OUTPUT_ARGS,
  ]
}

export interface SnapshotOptions {
  /** Output width at most this; the camera's full size when absent. */
  maxWidth?: number
  /** JPEG quality scale, 2 (best) to 31; default 4. */
  quality?: number
}

/**
 * One JPEG of the first keyframe on stdout. ffmpeg's H.264 decoder already drops what comes before the
 * first keyframe when a camera is joined mid-GOP (measured); the `select` filter (first intra frame)
 * makes sure of it whatever the codec. (`-skip_frame nokey` would decode less, but it starves ffmpeg's
 * stream probing: measured 2.4 s instead of 0.6 s to the snapshot.)
 */
export function rtspSnapshotArgs(input: RtspInput, options: SnapshotOptions = {}): string[] {
  const q = Math.min(31, Math.max(2, Math.round(options.quality ?? 4)))
  const filters = ["select='eq(pict_type,I)'"]
  if (options.maxWidth) filters.push(`scale='min(${Math.round(options.maxWidth)},iw)':-2`)
  return [
    ...GLOBAL_ARGS,
    ...rtspInputArgs(input),
    ...VIDEO_ONLY,
    ...['-vf', filters.join(',')],
    ...['-frames:v', '1', '-c:v', 'mjpeg', '-q:v', String(q), '-f', 'image2pipe', 'pipe:1'],
  ]
}

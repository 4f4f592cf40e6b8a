/**
 * ffmpeg's arguments for a motion decoder: a camera's units on stdin, small gray frames (one byte per
 * pixel, `width*height` bytes each) on stdout.
 *
 * - `all-frames` (H.264/H.265 as fMP4: the channel's init segment, then every fragment): every frame is
 *   decoded and the `fps` filter keeps about `fps` of them per second.
 * - `keyframes`: only key frames reach ffmpeg (the channel's keyframes mode), `-skip_frame nokey` makes
 *   sure nothing else is decoded, and every decoded frame is compared. Several times cheaper, usable when
 *   the camera sends key frames at least `fps` times a second (a short GOP).
 * - `mjpeg` (JPEG cameras): the JPEGs the detector lets through at its rate, each compared.
 *
 * Probing is cut short (`-probesize 32 -analyzeduration 0 -fpsprobesize 0`: the init segment says what the
 * stream is), which brings the first frame out in about 0.6 s instead of 1 s; one decoder thread: the
 * pictures are small and the machine has other cameras to serve.
 */
export type DecodeMode = 'all-frames' | 'keyframes' | 'mjpeg'

export interface DecoderArgsOptions {
  mode: DecodeMode
  width: number
  height: number
  /** Frames per second kept (all-frames). */
  fps: number
}

export function grayDecoderArgs(o: DecoderArgsOptions): string[] {
  const scale = `scale=${o.width}:${o.height}:flags=area,format=gray`
  const input =
    o.mode === 'mjpeg'
      ? ['-f', 'mjpeg', '-i', 'pipe:0']
      : [
          ...['-probesize', '32', '-analyzeduration', '0', '-fpsprobesize', '0'],
          ...(o.mode === 'keyframes' ? ['-skip_frame', 'nokey'] : []),
          ...['-f', 'mp4', '-i', 'pipe:0'],
        ]
  const filter =
    o.mode === 'all-frames' ? ['-vf', `fps=${o.fps},${scale}`] : ['-vf', scale, '-fps_mode', 'passthrough']
  return [
    ...['-hide_banner', '-nostats', '-loglevel', 'level+error', '-threads', '1'],
    ...input,
    ...['-map', '0:v:0', '-an', '-sn', '-dn'],
    ...filter,
    ...['-f', 'rawvideo', 'pipe:1'],
  ]
}

/** The decoded frame's size: `width` wide (at most the picture's), the height even and in proportion. */
export function frameSize(
  maxWidth: number,
  picture: { width?: number | undefined; height?: number | undefined },
): { width: number; height: number } {
  const pw = picture.width && picture.width > 0 ? picture.width : 16
  const ph = picture.height && picture.height > 0 ? picture.height : 9
  const width = Math.max(16, Math.min(maxWidth, Math.round(pw / 2) * 2))
  const height = Math.max(8, Math.round((width * ph) / pw / 2) * 2)
  return { width, height }
}

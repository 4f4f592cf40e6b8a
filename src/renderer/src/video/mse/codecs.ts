/** Codec strings (RFC 6381) as MSE wants them, and as a guard reads them. */

export const mimeFor = (codec: string): string => `video/mp4; codecs="${codec}"`

/** The codec family's common name: avc1.640028 → H.264, hvc1.1.6.L93.B0 → H.265. */
export function codecName(codec: string): string {
  const family = codec.split('.')[0]!.toLowerCase()
  if (family === 'avc1' || family === 'avc3') return 'H.264'
  if (family === 'hvc1' || family === 'hev1') return 'H.265'
  if (family === 'av01') return 'AV1'
  if (family === 'vp09') return 'VP9'
  if (family === 'vp08') return 'VP8'
  return codec
}

export function unsupportedMessage(codec: string): string {
  return `this camera's codec (${codecName(codec)}) cannot be decoded here`
}

/** Whether this page can play the codec through MSE (false where there is no MediaSource at all). */
export function canPlay(codec: string): boolean {
  return typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(mimeFor(codec))
}

/** What the page is asked about H.265: a Main-profile level 3.1 stream, tagged either way (hvc1, hev1). */
export const HEVC_PROBES = ['hvc1.1.6.L93.B0', 'hev1.1.6.L93.B0'] as const

/**
 * Whether this page decodes H.265 itself (Electron on Windows and macOS, some browsers): then the station may
 * send an H.265 camera as is (`hevc=1`) rather than a sub stream or a transcode.
 */
export function canPlayHevc(can: (codec: string) => boolean = canPlay): boolean {
  return HEVC_PROBES.some((c) => can(c))
}

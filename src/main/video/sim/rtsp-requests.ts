/** Reading what an RTSP request names: the path and track of its URI, its Transport and Session headers. */
import { normalizePath, TRACK } from './rtsp-path'

export interface RequestTarget {
  /** e.g. `/cam1/main`. */
  path: string
  /** The URI names the track (`.../trackID=0`) rather than the whole stream. */
  track: boolean
  /** `rtsp://host:port` as the client wrote it (without credentials), for Content-Base. */
  origin: string | undefined
}

/** The path a request URI names (absolute `rtsp://host/path` or just `/path`); undefined for `*` or junk. */
export function requestTarget(uri: string): RequestTarget | undefined {
  let pathname: string
  let origin: string | undefined
  if (/^rtsps?:\/\//i.test(uri)) {
    let u: URL
    try {
      u = new URL(uri)
    } catch {
      return undefined
    }
    pathname = u.pathname
    origin = `${u.protocol}//${u.host}`
  } else if (uri.startsWith('/')) {
    pathname = uri.split('?')[0]!
  } else {
    return undefined
  }
  try {
    pathname = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  let path = normalizePath(pathname)
  const track = path.endsWith(`/${TRACK}`)
  if (track) path = normalizePath(path.slice(0, -TRACK.length - 1))
  return { path, track, origin }
}

export interface TcpTransport {
  /** Interleaved channels for RTP and RTCP. */
  rtp: number
  rtcp: number
}

/**
 * Picks the first TCP-interleaved unicast transport the client offers (RFC 2326 12.39); undefined when it
 * offers only UDP or multicast, which this server does not do.
 */
export function pickTcpTransport(header: string | undefined): TcpTransport | undefined {
  if (!header) return undefined
  for (const spec of header.split(',')) {
    const [proto, ...params] = spec.split(';').map((s) => s.trim())
    if (proto?.toUpperCase() !== 'RTP/AVP/TCP') continue
    if (params.some((p) => p.toLowerCase() === 'multicast')) continue
    const inter = params.find((p) => p.toLowerCase().startsWith('interleaved='))
    if (!inter) return { rtp: 0, rtcp: 1 }
    const m = /^interleaved=(\d{1,3})(?:-(\d{1,3}))?$/i.exec(inter)
    if (!m) continue
    const rtp = Number(m[1])
    const rtcp = m[2] === undefined ? rtp + 1 : Number(m[2])
    if (rtp > 255 || rtcp > 255 || rtp === rtcp) continue
    return { rtp, rtcp }
  }
  return undefined
}

/** The session id of a Session header (`id;timeout=60` → `id`). */
export const sessionId = (header: string | undefined): string | undefined =>
  header?.split(';')[0]?.trim() || undefined

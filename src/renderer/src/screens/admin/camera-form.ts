/** The camera form's draft, its validation (before sending) and what it sends. */
import type { CameraInput } from '../../../../shared/contract'
import type { CameraKind, RtspTransport } from '../../../../shared/constants'
import type { Camera } from '../../../../shared/schemas/entities'

export interface CameraDraft {
  name: string
  kind: CameraKind
  url: string
  /** rtsp only: the sub stream URL ('' for none). */
  subUrl: string
  /** rtsp only. */
  transport: RtspTransport
  username: string
  password: string
  /** Edit only: drop the stored credentials. */
  clearCredentials: boolean
  areaId: string
  enabled: boolean
  fps: string
  stayConnected: boolean
  /** The URL may name this computer or the station itself. */
  allowLocal: boolean
}

export type CameraErrors = Partial<Record<'name' | 'url' | 'subUrl' | 'fps' | 'username', string>>

export const KIND_HELP: Record<CameraKind, string> = {
  push: 'The camera sends JPEG frames to the station (HTTP POST or WebSocket); no URL needed.',
  mjpeg: 'The station pulls a multipart MJPEG stream from the URL.',
  snapshot: 'The station polls a JPEG snapshot URL at the camera’s frame rate.',
  rtsp: 'The station pulls the camera’s RTSP stream (H.264/H.265) and relays it without transcoding.',
}

export const URL_SCHEMES: Record<CameraKind, string[]> = {
  push: [],
  mjpeg: ['http:', 'https:'],
  snapshot: ['http:', 'https:'],
  rtsp: ['rtsp:', 'rtsps:'],
}

export const SUB_STREAM_HELP = 'Grid tiles use the sub stream; fullscreen uses the main stream.'

export function emptyDraft(): CameraDraft {
  return {
    name: '',
    kind: 'mjpeg',
    url: '',
    subUrl: '',
    transport: 'tcp',
    username: '',
    password: '',
    clearCredentials: false,
    areaId: '',
    enabled: true,
    fps: '10',
    stayConnected: false,
    allowLocal: false,
  }
}

export function draftOf(c: Camera): CameraDraft {
  return {
    name: c.name,
    kind: c.kind as CameraKind,
    url: c.url ?? '',
    subUrl: c.subUrl ?? '',
    transport: c.transport ?? 'tcp',
    username: '',
    password: '',
    clearCredentials: false,
    areaId: c.areaId === null ? '' : String(c.areaId),
    enabled: c.enabled,
    fps: String(c.fps ?? 10),
    stayConnected: c.stayConnected ?? false,
    allowLocal: c.allowLocal ?? false,
  }
}

export function validateCamera(d: CameraDraft): CameraErrors {
  const e: CameraErrors = {}
  if (!d.name.trim()) e.name = 'Give the camera a name.'
  else if (d.name.trim().length > 100) e.name = 'At most 100 characters.'
  const schemes = URL_SCHEMES[d.kind]
  if (schemes.length > 0) {
    const url = d.url.trim()
    if (!url) e.url = `A ${d.kind} camera needs its URL.`
    else {
      const problem = urlProblem(url, d.kind)
      if (problem) e.url = problem
    }
  }
  const subUrl = d.subUrl.trim()
  if (d.kind === 'rtsp' && subUrl) {
    const problem = urlProblem(subUrl, d.kind)
    if (problem) e.subUrl = problem
  }
  const fps = Number(d.fps)
  if (!Number.isInteger(fps) || fps < 1 || fps > 60) e.fps = 'A whole number from 1 to 60.'
  if (d.password && !d.username && d.kind !== 'push') e.username = 'A password needs a username.'
  return e
}

function urlProblem(url: string, kind: CameraKind): string | undefined {
  const schemes = URL_SCHEMES[kind]
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'This is not a valid URL.'
  }
  if (!schemes.includes(parsed.protocol))
    return `Use ${schemes.map((s) => s.replace(':', '')).join(' or ')} for a ${kind} camera.`
  return undefined
}

/** What the form sends. Credentials are write-only: blank keeps what is stored (when editing). */
export function toCameraInput(d: CameraDraft, editing: boolean): CameraInput {
  const pull = d.kind !== 'push'
  const input: CameraInput = {
    name: d.name.trim(),
    kind: d.kind,
    url: pull ? d.url.trim() : null,
    areaId: d.areaId ? Number(d.areaId) : null,
    enabled: d.enabled,
    fps: Number(d.fps),
    stayConnected: d.stayConnected,
    allowLocal: d.allowLocal,
  }
  if (d.kind === 'rtsp') {
    input.subUrl = d.subUrl.trim() || null
    input.transport = d.transport
  }
  if (editing && d.clearCredentials) {
    input.username = null
    input.password = null
  } else if (pull && (d.username || d.password || !editing)) {
    if (d.username) input.username = d.username
    if (d.password) input.password = d.password
  }
  return input
}

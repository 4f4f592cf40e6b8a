/** The camera form's draft, its validation (before sending) and what it sends. */
import type { CameraInput } from '../../../../shared/contract'
import type { CameraKind, RtspTransport } from '../../../../shared/constants'
import type { Camera } from '../../../../shared/schemas/entities'
import type { RecordingMode } from '../../../../shared/schemas/recordings'

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
  recMode: RecordingMode
  preRollS: string
  postRollS: string
  /** Retention: '' for no bound. */
  minDays: string
  maxDays: string
  /** Per camera cap in GiB ('' for none). */
  maxGiB: string
}

export type CameraErrors = Partial<
  Record<
    | 'name'
    | 'url'
    | 'subUrl'
    | 'fps'
    | 'username'
    | 'preRollS'
    | 'postRollS'
    | 'minDays'
    | 'maxDays'
    | 'maxGiB',
    string
  >
>

export const RECORDING_HELP: Record<RecordingMode, string> = {
  off: 'Not recorded.',
  continuous: 'Recorded around the clock.',
  events: 'Recorded around motion, alarms and “record now”, with the seconds before and after.',
}

const GiB = 1024 ** 3

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
    recMode: 'off',
    preRollS: '5',
    postRollS: '10',
    minDays: '',
    maxDays: '',
    maxGiB: '',
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
    recMode: c.recording?.mode ?? c.recordingMode ?? 'off',
    preRollS: String(c.recording?.preRollS ?? 5),
    postRollS: String(c.recording?.postRollS ?? 10),
    minDays: c.recording?.minDays == null ? '' : String(c.recording.minDays),
    maxDays: c.recording?.maxDays == null ? '' : String(c.recording.maxDays),
    maxGiB: c.recording?.maxBytes == null ? '' : String(Math.round((c.recording.maxBytes / GiB) * 100) / 100),
  }
}

/** A whole number in [min, max], or '' when `optional`: the problem, or undefined. */
function wholeProblem(v: string, min: number, max: number, optional: boolean): string | undefined {
  if (optional && v.trim() === '') return undefined
  const n = Number(v)
  return Number.isInteger(n) && n >= min && n <= max ? undefined : `A whole number from ${min} to ${max}.`
}

function recordingErrors(d: CameraDraft, e: CameraErrors): void {
  const checks = [
    ['preRollS', d.preRollS, 0, 60, false],
    ['postRollS', d.postRollS, 0, 600, false],
    ['minDays', d.minDays, 0, 3650, true],
    ['maxDays', d.maxDays, 1, 3650, true],
  ] as const
  for (const [k, v, min, max, optional] of checks) {
    const problem = wholeProblem(v, min, max, optional)
    if (problem) e[k] = problem
  }
  if (!e.minDays && !e.maxDays && d.minDays && d.maxDays && Number(d.maxDays) < Number(d.minDays))
    e.maxDays = 'At least the days kept at least.'
  const gib = d.maxGiB.trim()
  if (gib && !(Number(gib) > 0)) e.maxGiB = 'A size in GiB above 0, or empty for no cap.'
}

const optionalInt = (v: string) => (v.trim() === '' ? null : Number(v))

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
  recordingErrors(d, e)
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
    recording: {
      mode: d.recMode,
      preRollS: Number(d.preRollS),
      postRollS: Number(d.postRollS),
      minDays: optionalInt(d.minDays),
      maxDays: optionalInt(d.maxDays),
      maxBytes: d.maxGiB.trim() === '' ? null : Math.max(1, Math.round(Number(d.maxGiB) * GiB)),
    },
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

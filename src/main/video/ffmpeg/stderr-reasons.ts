/**
 * ffmpeg's stderr, turned into something a guard can act on: each line (run ffmpeg with
 * `-loglevel level+warning`, which tags lines `[error]`, `[warning]`...) is classified into a reason with a
 * plain message, and a redactor removes credentials from anything that may end up in a log or an error.
 */

export type FfmpegReason =
  | 'auth-failed'
  | 'not-found'
  | 'unreachable'
  | 'timeout'
  | 'disconnected'
  | 'unsupported-codec'
  | 'bad-stream'
  | 'other'

export interface FfmpegProblem {
  reason: FfmpegReason
  /** For the guard: what is wrong, in plain words. */
  message: string
  /** The ffmpeg line it came from (redacted when the caller passes a redactor). */
  detail: string
  /** Logged at error level or worse: ffmpeg is giving up (warnings are transient). */
  fatal: boolean
}

/** Most telling first: when ffmpeg prints several problems before it exits, the highest rank explains it. */
export const REASON_RANK: Record<FfmpegReason, number> = {
  'auth-failed': 7,
  'not-found': 6,
  unreachable: 5,
  timeout: 4,
  'unsupported-codec': 3,
  disconnected: 2,
  'bad-stream': 1,
  other: 0,
}

export type LogLevel = 'panic' | 'fatal' | 'error' | 'warning' | 'info' | 'verbose' | 'debug' | 'trace'

export interface StderrLine {
  /** Null for a line without a level tag (the continuation of a multi-line message). */
  level: LogLevel | null
  /** The component in `[rtsp @ 0x...]`, if any. */
  component: string | null
  text: string
}

const LINE =
  /^(?:\[([\w:.-]+) @ 0x[0-9a-f]+\] ?)?(?:\[(panic|fatal|error|warning|info|verbose|debug|trace)\] ?)?(.*)$/

export function parseStderrLine(line: string): StderrLine {
  const m = LINE.exec(line.trimEnd())!
  return { component: m[1] ?? null, level: (m[2] as LogLevel | undefined) ?? null, text: m[3] ?? '' }
}

const RULES: [RegExp, FfmpegReason, string][] = [
  [
    /(?:failed|returned):? 401\b|unauthorized|authori[sz]ation failed/i,
    'auth-failed',
    'The camera refused the user name or password',
  ],
  [
    /(?:failed|returned):? 403\b|forbidden|access denied/i,
    'auth-failed',
    'The camera refused access (403 Forbidden)',
  ],
  // Codec problems before "not found": "Decoder (codec hevc) not found" is not a missing stream.
  [
    /matches no streams|does not contain any stream|no video stream/i,
    'unsupported-codec',
    'The camera sent no video stream',
  ],
  [
    /could not find codec parameters|unspecified size|codec not currently supported|unsupported codec|codec \S+\) not found|could not find tag for codec|incorrect codec parameters|unknown encoder|unsupported rtp payload|payload type \d+ .*not supported/i,
    'unsupported-codec',
    "The camera's video format is not supported",
  ],
  [
    /(?:failed|returned):? 404\b|stream not found/i,
    'not-found',
    'The camera has no stream at this address (404): check the path',
  ],
  [
    /connection refused/i,
    'unreachable',
    'Cannot connect to the camera: connection refused (wrong port, or its RTSP service is off)',
  ],
  [
    /no route to host|network is unreachable|host is unreachable|network unreachable/i,
    'unreachable',
    'Cannot reach the camera: no route to it (check its address and the network)',
  ],
  [
    /failed to resolve hostname|name or service not known|name resolution|nodename nor servname|no address associated/i,
    'unreachable',
    "Cannot find the camera's host name (check the address)",
  ],
  [/timed out|\btimeout\b(?!=)/i, 'timeout', 'The camera stopped answering (timed out)'],
  [
    /connection reset|end of file|server closed|connection closed/i,
    'disconnected',
    'The camera closed the connection',
  ],
  [
    /(?:failed|returned):? 461\b|unsupported transport/i,
    'other',
    'The camera refused the transport (try TCP or UDP)',
  ],
  [
    /(?:failed|returned):? 453\b|not enough bandwidth/i,
    'other',
    'The camera has no capacity left for another stream',
  ],
  [
    /(?:failed|returned):? 5(?:\d\d|XX)\b|internal server error|service unavailable/i,
    'other',
    'The camera reported an internal error',
  ],
  [
    /invalid data found|non-existing pps|error while decoding|corrupt|missed \d+ packets|bad cseq|max delay reached|invalid nal|decode_slice_header|non-monotonous dts|no frame!|packet mismatch|error splitting|mmco/i,
    'bad-stream',
    "The camera's video stream has errors",
  ],
]

/** Lines ffmpeg prints that tell nothing about the camera. */
const NOISE = /^(last message repeated \d+ times|consider increasing the value for the|press \[q\] to stop)/i

/**
 * The problem a stderr line reports, or null for a line that reports none (information, an unremarkable
 * warning, a continuation line). `redact` is applied to the detail.
 */
export function classifyStderrLine(
  line: string,
  redact: (s: string) => string = (s) => s,
): FfmpegProblem | null {
  const { level, text } = parseStderrLine(line)
  if (!text.trim() || NOISE.test(text.trim())) return null
  const fatal = level === 'error' || level === 'fatal' || level === 'panic'
  const detail = redact(text.trim()).slice(0, 300)
  for (const [re, reason, message] of RULES) {
    if (re.test(text)) return { reason, message, detail, fatal }
  }
  if (!fatal) return null
  return { reason: 'other', message: `ffmpeg: ${detail}`, detail, fatal }
}

/** The more telling of two problems (the first wins a tie, so the earliest cause stays). */
export function worse(a: FfmpegProblem | null, b: FfmpegProblem | null): FfmpegProblem | null {
  if (!a) return b
  if (!b) return a
  return REASON_RANK[b.reason] > REASON_RANK[a.reason] ? b : a
}

export interface Credentials {
  username?: string
  password?: string
}

/** Secrets shorter than this are only removed where they sit in a URL or a header, not as plain words. */
const MIN_LITERAL_SECRET = 4

/**
 * A redactor for strings that may hold a camera's credentials: the userinfo of any URL (`rtsp://u:p@h` →
 * `rtsp://***@h`), `Authorization:` header values, and each known password wherever it appears, as is,
 * URL-encoded or inside a Basic token.
 */
export function createRedactor(...credentials: Credentials[]): (text: string) => string {
  const literals = new Set<string>()
  for (const c of credentials) {
    const password = c.password ?? ''
    if (password.length >= MIN_LITERAL_SECRET) {
      literals.add(password)
      literals.add(encodeURIComponent(password))
    }
    if (c.username !== undefined && password) {
      literals.add(Buffer.from(`${c.username}:${password}`, 'utf8').toString('base64'))
    }
  }
  // Longest first, so a secret that contains another is removed whole.
  const ordered = [...literals].filter(Boolean).sort((a, b) => b.length - a.length)
  return (text) => {
    let out = redactUrlsAndHeaders(text)
    for (const s of ordered) out = out.split(s).join('***')
    return out
  }
}

/** Userinfo in URLs and Authorization header values, without knowing the secrets. */
export function redactUrlsAndHeaders(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi, '$1***@')
    .replace(/\b((?:proxy-)?authorization\s*[:=]\s*)[^\r\n]*/gi, '$1[redacted]')
}

/**
 * What an export of [from, to) of one camera is, before anything runs (pure): which segment files, where
 * the range starts in their concatenation (gaps in the recording are left out of the file, as in any
 * NVR's export; the metadata lists what was recorded), the ffmpeg arguments (concat demuxer, stream copy,
 * faststart, metadata, progress on stdout), and the file's name.
 */

export interface ExportSegment {
  start: number
  end: number
  bytes: number
  /** Absolute path of the segment file. */
  file: string
}

export interface ExportPlan {
  /** The concat demuxer's list (one `file` and its `duration` per segment). */
  list: string
  /** Where `from` lies in the concatenation, and how much recorded time the range holds (seconds). */
  offsetS: number
  durationS: number
  recordedMs: number
  estimatedBytes: number
  /** Recorded stretches within the range (adjacent segments merged). */
  ranges: { start: number; end: number }[]
}

/** Segments closer than this belong to one recorded stretch in the metadata's list. */
const JOIN_MS = 1000

/** Escapes a path for a concat list line (`file '...'`). */
export function concatQuote(file: string): string {
  return `'${file.replace(/'/g, "'\\''")}'`
}

export function planExport(segments: readonly ExportSegment[], from: number, to: number): ExportPlan {
  let pos = 0
  let offsetMs: number | null = null
  let recordedMs = 0
  let estimatedBytes = 0
  const ranges: { start: number; end: number }[] = []
  const lines: string[] = []
  for (const s of segments) {
    const len = Math.max(0, s.end - s.start)
    lines.push(`file ${concatQuote(s.file)}`, `duration ${(len / 1000).toFixed(3)}`)
    if (offsetMs === null && s.end > from) offsetMs = pos + Math.max(0, from - s.start)
    const a = Math.max(s.start, from)
    const b = Math.min(s.end, to)
    if (b > a) {
      recordedMs += b - a
      estimatedBytes += len > 0 ? Math.round((s.bytes * (b - a)) / len) : 0
      const last = ranges.at(-1)
      if (last && a - last.end <= JOIN_MS) last.end = Math.max(last.end, b)
      else ranges.push({ start: a, end: b })
    }
    pos += len
  }
  return {
    list: lines.join('\n') + '\n',
    offsetS: (offsetMs ?? 0) / 1000,
    durationS: recordedMs / 1000,
    recordedMs,
    estimatedBytes,
    ranges,
  }
}

export interface ExportMetadata {
  title: string
  comment: string
  /** ISO 8601 (UTC) of the range's start: players show it as the recording date. */
  creationTime: string
}

export function exportArgs(o: {
  listFile: string
  outFile: string
  plan: ExportPlan
  metadata: ExportMetadata
}): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...['-f', 'concat', '-safe', '0', '-ss', o.plan.offsetS.toFixed(3), '-i', o.listFile],
    ...['-t', o.plan.durationS.toFixed(3), '-map', '0', '-c', 'copy', '-movflags', '+faststart'],
    ...['-metadata', `title=${o.metadata.title}`, '-metadata', `comment=${o.metadata.comment}`],
    ...['-metadata', `creation_time=${o.metadata.creationTime}`],
    ...['-progress', 'pipe:1', '-nostats', '-f', 'mp4', o.outFile],
  ]
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** Local time with its UTC offset, to the second: 2026-03-01T02:15:00+01:00. */
export function localIso(ms: number, offsetMin = -new Date(ms).getTimezoneOffset()): string {
  const d = new Date(ms + offsetMin * 60_000)
  const sign = offsetMin >= 0 ? '+' : '-'
  const off = Math.abs(offsetMin)
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`
  )
}

export function exportMetadata(o: {
  station: string
  camera: string
  cameraId: number
  from: number
  to: number
  ranges: { start: number; end: number }[]
}): ExportMetadata {
  const span = `${localIso(o.from)} to ${localIso(o.to)}`
  const listed = o.ranges.slice(0, 20).map((r) => `${localIso(r.start)} to ${localIso(r.end)}`)
  const more = o.ranges.length > 20 ? `; and ${o.ranges.length - 20} more` : ''
  return {
    title: `${o.station} · ${o.camera} · ${span}`,
    comment:
      `Exported by ${o.station}. Camera: ${o.camera} (id ${o.cameraId}). Requested: ${span}. ` +
      `Recorded in it (gaps are left out of the file): ${listed.join('; ') || 'nothing'}${more}.`,
    creationTime: new Date(o.from).toISOString(),
  }
}

/** `Gate-2_2026-03-01_021500-024500.mp4` (local times; the end's day too when it is another day). */
export function exportFileName(camera: string, from: number, to: number): string {
  const safe = camera.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'camera'
  const day = (ms: number) => localIso(ms).slice(0, 10)
  const time = (ms: number) => localIso(ms).slice(11, 19).replace(/:/g, '')
  const end = day(to) === day(from) ? time(to) : `${day(to)}_${time(to)}`
  return `${safe}_${day(from)}_${time(from)}-${end}.mp4`
}

/** Parses ffmpeg's `-progress` key=value lines; answers the output time in seconds when a block ends. */
export class ProgressParser {
  private rest = ''
  private outTimeS = 0
  ended = false

  push(chunk: string, onTime: (seconds: number) => void): void {
    const lines = (this.rest + chunk).split('\n')
    this.rest = lines.pop() ?? ''
    for (const line of lines) {
      const eq = line.indexOf('=')
      if (eq < 0) continue
      const key = line.slice(0, eq).trim()
      const value = line.slice(eq + 1).trim()
      if (key === 'out_time_us' || key === 'out_time_ms') {
        // Both are microseconds (out_time_ms is misnamed in ffmpeg); N/A before the first packet.
        const us = Number(value)
        if (Number.isFinite(us) && us >= 0) this.outTimeS = us / 1e6
      } else if (key === 'progress') {
        if (value === 'end') this.ended = true
        onTime(this.outTimeS)
      }
    }
  }
}

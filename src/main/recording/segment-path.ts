/**
 * Where a segment lives: `<cameraId>/<YYYY-MM-DD>/<startMs>.mp4` under the recordings folder (the UTC day
 * of its start; `<startMs>-<n>.mp4` when two segments of a camera would start in the same millisecond).
 * Index rows hold this relative path with forward slashes on every platform.
 */
import { join, sep } from 'node:path'

export const RECORDINGS_DIR = 'recordings'

export function recordingsRoot(dataDir: string): string {
  return join(dataDir, RECORDINGS_DIR)
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export function segmentRelPath(cameraId: number, startMs: number, n = 0): string {
  return `${cameraId}/${utcDay(startMs)}/${startMs}${n > 0 ? `-${n}` : ''}.mp4`
}

export function absolutePath(root: string, rel: string): string {
  return join(root, ...rel.split('/'))
}

const FILE = /^(\d{1,15})(?:-\d{1,4})?\.mp4$/
const DAY = /^\d{4}-\d{2}-\d{2}$/
const CAMERA = /^[1-9]\d{0,9}$/

/** A segment file's start time from its name, or undefined when the name is not one of ours. */
export function startOfFile(name: string): number | undefined {
  const m = FILE.exec(name)
  return m ? Number(m[1]) : undefined
}

export const isDayFolder = (name: string) => DAY.test(name)
export const isCameraFolder = (name: string) => CAMERA.test(name)

/** A relative path in index form (forward slashes). */
export function relPath(...parts: string[]): string {
  return parts.join('/').split(sep).join('/')
}

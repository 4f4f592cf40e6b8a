/**
 * The ffmpeg a station uses, found once: `STATION_FFMPEG`, else the desktop app's bundled copy, else
 * `PATH` (`locate.ts`), checked by running `ffmpeg -version` under a timeout. The answer is cached per
 * setting and search path, and logged when it is found: the chosen path, version and licence once at
 * start-up, or what was searched. When there is none, RTSP cameras show `missing` as it is.
 *
 * ```ts
 * const ffmpeg = await resolveFfmpeg(config.video, { log: app.log })
 * if ('missing' in ffmpeg) cameraStatus(ffmpeg.missing)
 * ```
 */
import type { VideoConfig } from '../video-config'
import { locateFfmpeg, type FfmpegLocation } from './locate'

export type ResolvedFfmpeg = { path: string; version: string } | { missing: string }

export type FfmpegSettings = Pick<VideoConfig, 'ffmpegPath' | 'ffmpegResourcesDir'>

export interface ResolveFfmpegOptions {
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }
  /** The PATH to search (default `process.env.PATH`). */
  pathEnv?: string | undefined
  /** Bound on each candidate's `-version` (default 5 s). */
  timeoutMs?: number
  /** A search that found nothing is done again after this long (default 60 s), so an ffmpeg installed
   *  while the station runs is picked up; a found ffmpeg stays cached. */
  retryMissingMs?: number
}

/** For guards and admins: what to do, without the search details (those are in the log). */
export const FFMPEG_MISSING = 'ffmpeg was not found: install ffmpeg or set STATION_FFMPEG'
export const FFMPEG_SETTING_BROKEN =
  'the ffmpeg named by STATION_FFMPEG does not run: correct the setting or unset it'

interface Cached {
  answer: Promise<ResolvedFfmpeg>
  /** performance.now() after which a missing answer is searched again. */
  retryAfter: number
}

const cache = new Map<string, Cached>()

const FROM = {
  setting: 'set by STATION_FFMPEG',
  bundled: 'bundled with the app',
  path: 'on the PATH',
} as const

export function resolveFfmpeg(
  settings: FfmpegSettings,
  options: ResolveFfmpegOptions = {},
): Promise<ResolvedFfmpeg> {
  const pathEnv = 'pathEnv' in options ? options.pathEnv : process.env.PATH
  const key = JSON.stringify([settings.ffmpegPath, settings.ffmpegResourcesDir, pathEnv])
  const hit = cache.get(key)
  if (hit && performance.now() < hit.retryAfter) return hit.answer
  const entry: Cached = { answer: search(), retryAfter: Infinity }
  cache.set(key, entry)
  return entry.answer

  async function search(): Promise<ResolvedFfmpeg> {
    const located = await locateFfmpeg({
      configured: settings.ffmpegPath,
      resourcesPath: settings.ffmpegResourcesDir,
      pathEnv,
      timeoutMs: options.timeoutMs,
    })
    const answer = describe(located, options)
    if ('missing' in answer) entry.retryAfter = performance.now() + (options.retryMissingMs ?? 60_000)
    return answer
  }
}

function describe(located: FfmpegLocation, options: ResolveFfmpegOptions): ResolvedFfmpeg {
  if (located.found) {
    const { path, version, source, licence } = located
    options.log?.info(
      { ffmpeg: { path, version, source, licence } },
      `ffmpeg ${version} (${licence}), ${FROM[source]}: ${path}`,
    )
    return { path, version }
  }
  options.log?.warn({ ffmpeg: { searched: located.searched } }, located.message)
  const setting = located.searched.some((s) => s.source === 'setting')
  return { missing: setting ? FFMPEG_SETTING_BROKEN : FFMPEG_MISSING }
}

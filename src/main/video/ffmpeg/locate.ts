/**
 * Finds the ffmpeg the station runs for RTSP cameras, in this order:
 * 1. the `STATION_FFMPEG` setting (a path): when set, only it is tried, so a wrong setting is reported
 *    instead of silently running another ffmpeg;
 * 2. the copy bundled with the desktop app (`<resources>/ffmpeg/<platform>-<arch>/ffmpeg[.exe]`);
 * 3. `ffmpeg` on the PATH.
 * Each candidate must run `ffmpeg -version`; the answer says where it was found and which version it is,
 * or plainly that there is none, with every place searched. `resolve-ffmpeg.ts` runs this once per
 * station (cached) and logs the answer.
 */
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import path from 'node:path'
import { childEnv } from './ffmpeg-process'

export type FfmpegSource = 'setting' | 'bundled' | 'path'

export interface FfmpegFound {
  found: true
  path: string
  source: FfmpegSource
  /** e.g. `5.1.9-0+deb12u1` or `n7.1` (what follows "ffmpeg version"). */
  version: string
  /** The licence the build declares in its configuration (`--enable-gpl`, `--enable-version3`...). */
  licence: 'LGPL-2.1-or-later' | 'LGPL-3.0-or-later' | 'GPL-2.0-or-later' | 'GPL-3.0-or-later' | 'nonfree'
}

export interface SearchedPlace {
  source: FfmpegSource
  path: string
  /** Why it was not used: missing, not executable, or `-version` failed. */
  problem: string
}

export interface FfmpegNotFound {
  found: false
  searched: SearchedPlace[]
  /** For the guard and the log, e.g. "ffmpeg not found (searched: ...)". */
  message: string
}

export type FfmpegLocation = FfmpegFound | FfmpegNotFound

export interface LocateOptions {
  /** The STATION_FFMPEG setting, if set. */
  configured?: string | undefined
  /**
   * Where the desktop app keeps its resources (Electron's `process.resourcesPath`; the project's
   * `resources/` in development): the bundled copy is `ffmpeg/<platform>-<arch>/ffmpeg[.exe]` in it.
   */
  resourcesPath?: string | undefined
  /** The PATH to search (the caller passes `process.env.PATH`). */
  pathEnv?: string | undefined
  platform?: NodeJS.Platform
  /** Node's name for the CPU (`x64`, `arm64`), as electron-builder's `${arch}`. */
  arch?: string
  /** Bound on `ffmpeg -version` (default 5 s); past it the candidate is killed and counts as failed. */
  timeoutMs?: number
}

export async function locateFfmpeg(options: LocateOptions): Promise<FfmpegLocation> {
  const platform = options.platform ?? process.platform
  const arch = options.arch ?? process.arch
  const exe = platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg'
  const candidates: { source: FfmpegSource; path: string }[] = []
  if (options.configured?.trim()) {
    candidates.push({ source: 'setting', path: options.configured.trim() })
  } else {
    if (options.resourcesPath)
      candidates.push({
        source: 'bundled',
        path: path.join(options.resourcesPath, 'ffmpeg', `${platform}-${arch}`, exe),
      })
    const delimiter = platform === 'win32' ? ';' : ':'
    for (const dir of (options.pathEnv ?? '').split(delimiter)) {
      // An empty PATH entry means the current directory: never run an ffmpeg from there.
      if (dir && path.isAbsolute(dir)) candidates.push({ source: 'path', path: path.join(dir, exe) })
    }
  }
  const searched: SearchedPlace[] = []
  for (const c of candidates) {
    const problem = await unusable(c.path, platform)
    if (problem) {
      // PATH entries without an ffmpeg are the normal case: list them without noise.
      searched.push({ ...c, problem })
      continue
    }
    try {
      const out = await run(c.path, options.timeoutMs ?? 5000)
      return { found: true, ...c, ...describeBuild(out) }
    } catch (err) {
      searched.push({ ...c, problem: `"${c.path} -version" failed: ${(err as Error).message}` })
    }
  }
  const where =
    searched.length === 0
      ? 'nowhere to search: no setting, no bundled copy, empty PATH'
      : listPlaces(searched)
  const hint = options.configured?.trim()
    ? ' (check STATION_FFMPEG)'
    : ' (install ffmpeg or set STATION_FFMPEG)'
  return { found: false, searched, message: `ffmpeg not found${hint}; searched ${where}` }
}

function listPlaces(searched: SearchedPlace[]): string {
  return searched.map((s) => `${s.path} (${s.source}: ${s.problem})`).join(', ')
}

async function unusable(file: string, platform: NodeJS.Platform): Promise<string | null> {
  try {
    const st = await stat(file)
    if (!st.isFile()) return 'not a file'
    if (platform !== 'win32') await access(file, constants.X_OK)
    return null
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return code === 'ENOENT' ? 'missing' : code === 'EACCES' ? 'not executable' : (code ?? String(err))
  }
}

function run(file: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const opts = { timeout: timeoutMs, killSignal: 'SIGKILL' as const, windowsHide: true, env: childEnv() }
    execFile(file, ['-hide_banner', '-version'], opts, (err, stdout) => {
      if (err?.killed) reject(new Error(`no answer within ${timeoutMs} ms`))
      else if (err) reject(err)
      else if (!/^ffmpeg version /m.test(stdout)) reject(new Error('it does not say "ffmpeg version"'))
      else resolve(stdout)
    })
  })
}

/** Version and declared licence from `ffmpeg -version`. */
export function describeBuild(versionOutput: string): Pick<FfmpegFound, 'version' | 'licence'> {
  const version = /^ffmpeg version (\S+)/m.exec(versionOutput)?.[1] ?? 'unknown'
  const config = /^configuration:(.*)$/m.exec(versionOutput)?.[1] ?? ''
  const has = (flag: string) => new RegExp(`(^|\\s)--enable-${flag}(\\s|$)`).test(config)
  const v3 = has('version3')
  const licence = has('nonfree')
    ? 'nonfree'
    : has('gpl')
      ? v3
        ? 'GPL-3.0-or-later'
        : 'GPL-2.0-or-later'
      : v3
        ? 'LGPL-3.0-or-later'
        : 'LGPL-2.1-or-later'
  return { version, licence }
}

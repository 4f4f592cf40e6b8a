import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FFMPEG_MISSING, FFMPEG_SETTING_BROKEN, resolveFfmpeg } from './resolve-ffmpeg'

const dir = mkdtempSync(path.join(tmpdir(), 'gs-resolve-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function recorder() {
  const lines: { level: 'info' | 'warn'; obj: object; msg: string }[] = []
  return {
    lines,
    log: {
      info: (obj: object, msg: string) => lines.push({ level: 'info', obj, msg }),
      warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }),
    },
  }
}

describe('resolveFfmpeg', () => {
  it('finds the system ffmpeg, checks it runs, logs its path and version once, and caches the answer', async () => {
    const { lines, log } = recorder()
    // A PATH of its own, so this test's cache entry is its own.
    const pathEnv = `${path.join(dir, 'nothing-here')}:${process.env.PATH}`
    const first = resolveFfmpeg({ ffmpegPath: undefined }, { log, pathEnv })
    const again = resolveFfmpeg({ ffmpegPath: undefined }, { log, pathEnv })
    expect(again).toBe(first)
    const found = await first
    expect(found).toMatchObject({
      path: expect.stringMatching(/\/ffmpeg$/),
      version: expect.stringMatching(/^\d/),
    })
    expect(await resolveFfmpeg({ ffmpegPath: undefined }, { log, pathEnv })).toBe(found)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'info', obj: { ffmpeg: { source: 'path' } } })
    expect(lines[0]!.msg).toMatch(/^ffmpeg \d\S* \(GPL-2\.0-or-later\), on the PATH: \/.*ffmpeg$/)
  })

  it('prefers the bundled copy under the resources folder to the PATH', async () => {
    const bundledDir = path.join(dir, 'resources', 'ffmpeg', `${process.platform}-${process.arch}`)
    mkdirSync(bundledDir, { recursive: true })
    const bundled = path.join(bundledDir, 'ffmpeg')
    writeFileSync(
      bundled,
      "#!/bin/sh\necho 'ffmpeg version 7.1-bundled'\necho 'configuration: --enable-version3'\n",
    )
    chmodSync(bundled, 0o755)
    const { lines, log } = recorder()
    const found = await resolveFfmpeg(
      { ffmpegPath: undefined, ffmpegResourcesDir: path.join(dir, 'resources') },
      { log, pathEnv: process.env.PATH },
    )
    expect(found).toEqual({ path: bundled, version: '7.1-bundled' })
    expect(lines[0]!.msg).toBe(`ffmpeg 7.1-bundled (LGPL-3.0-or-later), bundled with the app: ${bundled}`)
  })

  it('says plainly that ffmpeg is missing, logs where it searched, and searches again later', async () => {
    const { lines, log } = recorder()
    const settings = { ffmpegPath: undefined, ffmpegResourcesDir: path.join(dir, 'no-resources') }
    const pathEnv = path.join(dir, 'empty-bin')
    expect(await resolveFfmpeg(settings, { log, pathEnv, retryMissingMs: 60_000 })).toEqual({
      missing: FFMPEG_MISSING,
    })
    expect(FFMPEG_MISSING).toBe('ffmpeg was not found: install ffmpeg or set STATION_FFMPEG')
    await resolveFfmpeg(settings, { log, pathEnv })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'warn' })
    expect(lines[0]!.msg).toMatch(/^ffmpeg not found .*no-resources.*empty-bin/)

    // Installed meanwhile: found once the missing answer has aged.
    const onPath = path.join(dir, 'late-bin')
    const late = { pathEnv: onPath, log, retryMissingMs: 0 }
    expect(await resolveFfmpeg(settings, late)).toEqual({ missing: FFMPEG_MISSING })
    mkdirSync(onPath, { recursive: true })
    writeFileSync(path.join(onPath, 'ffmpeg'), "#!/bin/sh\necho 'ffmpeg version 6.0'\n")
    chmodSync(path.join(onPath, 'ffmpeg'), 0o755)
    expect(await resolveFfmpeg(settings, late)).toEqual({ path: path.join(onPath, 'ffmpeg'), version: '6.0' })
  })

  it('blames the setting when STATION_FFMPEG names something that does not run in time', async () => {
    const hung = path.join(dir, 'hung-ffmpeg')
    writeFileSync(hung, '#!/bin/sh\nexec sleep 30\n')
    chmodSync(hung, 0o755)
    const { lines, log } = recorder()
    expect(await resolveFfmpeg({ ffmpegPath: hung }, { log, timeoutMs: 300 })).toEqual({
      missing: FFMPEG_SETTING_BROKEN,
    })
    expect(lines[0]!.msg).toMatch(/check STATION_FFMPEG.*no answer within 300 ms/)
  })
})

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { describeBuild, locateFfmpeg } from './locate'

const dir = mkdtempSync(path.join(tmpdir(), 'gs-locate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A fake ffmpeg: a shell script answering -version like a given build. */
function fake(where: string, versionLine: string, config = '--enable-gpl --enable-libx264'): string {
  mkdirSync(where, { recursive: true })
  const file = path.join(where, 'ffmpeg')
  writeFileSync(file, `#!/bin/sh\necho '${versionLine}'\necho 'configuration: ${config}'\n`)
  chmodSync(file, 0o755)
  return file
}

describe('locateFfmpeg', () => {
  it('finds the system ffmpeg on the PATH, with its version and licence', async () => {
    const found = await locateFfmpeg({ pathEnv: process.env.PATH })
    expect(found).toMatchObject({ found: true, source: 'path', licence: 'GPL-2.0-or-later' })
    if (found.found) expect(found.version).toMatch(/^\d+\.\d+/)
  })

  it('prefers the setting, then the bundled copy, then the PATH', async () => {
    const bundled = fake(
      path.join(dir, 'resources', 'ffmpeg', `${process.platform}-${process.arch}`),
      'ffmpeg version 7.1-static Copyright',
      '--enable-version3',
    )
    const onPath = fake(path.join(dir, 'bin'), 'ffmpeg version 6.0 Copyright')
    const setting = fake(
      path.join(dir, 'custom'),
      'ffmpeg version n7.0.2 Copyright',
      '--enable-gpl --enable-nonfree',
    )
    const pathEnv = `${path.join(dir, 'empty')}:${path.join(dir, 'bin')}`
    expect(
      await locateFfmpeg({ configured: setting, resourcesPath: path.join(dir, 'resources'), pathEnv }),
    ).toMatchObject({
      found: true,
      source: 'setting',
      path: setting,
      version: 'n7.0.2',
      licence: 'nonfree',
    })
    expect(await locateFfmpeg({ resourcesPath: path.join(dir, 'resources'), pathEnv })).toMatchObject({
      source: 'bundled',
      path: bundled,
      version: '7.1-static',
      licence: 'LGPL-3.0-or-later',
    })
    expect(await locateFfmpeg({ resourcesPath: path.join(dir, 'nowhere'), pathEnv })).toMatchObject({
      source: 'path',
      path: onPath,
    })
  })

  it('says plainly where it searched when there is no ffmpeg; a wrong setting is not silently bypassed', async () => {
    const none = await locateFfmpeg({
      resourcesPath: path.join(dir, 'nowhere'),
      pathEnv: `${dir}/empty:relative/bin:`,
    })
    expect(none.found).toBe(false)
    if (none.found) return
    expect(none.searched.map((s) => [s.source, s.problem])).toEqual([
      ['bundled', 'missing'],
      ['path', 'missing'],
    ])
    expect(none.message).toMatch(
      /^ffmpeg not found \(install ffmpeg or set STATION_FFMPEG\); searched .*nowhere/,
    )

    const notFfmpeg = path.join(dir, 'not-ffmpeg')
    writeFileSync(notFfmpeg, '#!/bin/sh\necho hello\n')
    chmodSync(notFfmpeg, 0o755)
    const wrong = await locateFfmpeg({ configured: notFfmpeg, pathEnv: process.env.PATH })
    expect(wrong).toMatchObject({ found: false })
    if (!wrong.found) {
      expect(wrong.searched).toHaveLength(1)
      expect(wrong.message).toMatch(/check STATION_FFMPEG.*does not say "ffmpeg version"/)
    }
    const noExec = path.join(dir, 'no-exec')
    writeFileSync(noExec, '')
    const denied = await locateFfmpeg({ configured: noExec })
    expect(!denied.found && denied.searched[0]!.problem).toBe('not executable')
  })

  it('gives up on a candidate that does not answer -version in time', async () => {
    const hung = path.join(dir, 'hung', 'ffmpeg')
    mkdirSync(path.dirname(hung), { recursive: true })
    // exec: the kill reaches the sleeping process itself, which holds the output pipe.
    writeFileSync(hung, '#!/bin/sh\nexec sleep 30\n')
    chmodSync(hung, 0o755)
    const started = performance.now()
    const found = await locateFfmpeg({ configured: hung, timeoutMs: 300 })
    expect(performance.now() - started).toBeLessThan(5000)
    expect(!found.found && found.searched[0]!.problem).toMatch(/no answer within 300 ms/)
  })

  it('runs -version without the station environment', async () => {
    const envDump = path.join(dir, 'env', 'ffmpeg')
    mkdirSync(path.dirname(envDump), { recursive: true })
    // Answers like ffmpeg, with whether it can see a station secret in its version string.
    writeFileSync(envDump, '#!/bin/sh\necho "ffmpeg version secret=${STATION_ADMIN_PASSWORD:-none}"\n')
    chmodSync(envDump, 0o755)
    process.env.STATION_ADMIN_PASSWORD = 'do-not-leak-this'
    try {
      expect(await locateFfmpeg({ configured: envDump })).toMatchObject({ version: 'secret=none' })
    } finally {
      delete process.env.STATION_ADMIN_PASSWORD
    }
  })

  it('reads the licence from the configuration line', () => {
    expect(describeBuild('ffmpeg version 5.1\nconfiguration: --prefix=/usr').licence).toBe(
      'LGPL-2.1-or-later',
    )
    expect(describeBuild('ffmpeg version 5.1\nconfiguration: --enable-gpl --enable-version3').licence).toBe(
      'GPL-3.0-or-later',
    )
  })
})

/**
 * How installers provide ffmpeg for RTSP cameras (docs/ffmpeg.md): the .deb depends on Debian's ffmpeg,
 * a copy the release pipeline puts in resources/ffmpeg/<platform>-<arch>/ ships where locate.ts looks for
 * it, and nothing fetches an ffmpeg at install time.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const builder = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
  deb: { depends: string[] }
  extraResources: { from: string; to: string }[]
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
  string,
  Record<string, string> | undefined
>

describe('ffmpeg in the installers', () => {
  it("the .deb depends on ffmpeg, keeping electron-builder's own dependencies for Electron", () => {
    // 5.0 or later (docs/ffmpeg.md); 7: is the epoch of Debian's and Ubuntu's ffmpeg versions.
    expect(builder.deb.depends).toContain('ffmpeg (>= 7:5.0)')
    // Setting depends replaces electron-builder's default list: the libraries Electron needs stay.
    expect(builder.deb.depends).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libnotify4']))
  })

  it('ships a bundled copy outside the ASAR, in the folder locate.ts searches', () => {
    expect(builder.extraResources).toContainEqual({
      from: 'resources/ffmpeg/${platform}-${arch}',
      to: 'ffmpeg/${platform}-${arch}',
    })
  })

  it('installs no package that downloads ffmpeg', () => {
    const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies }
    expect(Object.keys(deps).filter((d) => /ffmpeg/i.test(d))).toEqual([])
  })
})

/**
 * `npm run headless` builds when `out/` is missing or older than the sources (scripts/build-freshness.mjs),
 * so it never runs stale code after a change in `src/`.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const MODULE = pathToFileURL(join(__dirname, '..', '..', 'scripts', 'build-freshness.mjs')).href
type Freshness = { staleBuildReason(root: string): string | undefined; BUNDLES: string[] }
const load = () => import(MODULE) as Promise<Freshness>

describe('headless build freshness', () => {
  const root = mkdtempSync(join(tmpdir(), 'station-build-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const write = (path: string, atSeconds: number) => {
    const file = join(root, path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, '//')
    utimesSync(file, atSeconds, atSeconds)
  }

  it('rebuilds when a bundle is missing, or a source or build config is newer than the build; not for tests', async () => {
    const { staleBuildReason, BUNDLES } = await load()
    write('src/main/station.ts', 1000)
    write('package.json', 1000)
    expect(staleBuildReason(root)).toMatch(/No complete build/)
    for (const b of BUNDLES) write(b, 2000)
    expect(staleBuildReason(root)).toBeUndefined()

    // A test changed: nothing to build.
    write('src/main/station.test.ts', 3000)
    expect(staleBuildReason(root)).toBeUndefined()

    // A source changed after the build: stale, naming the file.
    write('src/shared/deep/folder/contract.ts', 3000)
    expect(staleBuildReason(root)).toBe(
      `The build is older than ${join('src', 'shared', 'deep', 'folder', 'contract.ts')}`,
    )
    for (const b of BUNDLES) write(b, 4000)
    expect(staleBuildReason(root)).toBeUndefined()

    // The build configuration changed; or one worker bundle is older than the rest.
    write('electron.vite.config.ts', 5000)
    expect(staleBuildReason(root)).toMatch(/electron\.vite\.config\.ts/)
    for (const b of BUNDLES) write(b, 6000)
    write(BUNDLES[1]!, 4500)
    expect(staleBuildReason(root)).toMatch(/electron\.vite\.config\.ts/)
  })
})

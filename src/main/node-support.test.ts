/**
 * The supported Node.js version is said once in `engines` and once in the README, and they agree; every
 * installed package that wants a newer Node (so `npm ci` warns on the supported one) is named in the
 * README's explanation of those warnings. A dependency that raises its engines later fails this test.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const semver = require('semver') as {
  minVersion(range: string): { version: string } | null
  satisfies(version: string, range: string): boolean
}
const ROOT = join(__dirname, '..', '..')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>
}
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

describe('supported Node.js version', () => {
  const min = semver.minVersion(pkg.engines.node)!.version

  it('is the same in engines and the README', () => {
    const short = min.replace(/\.0$/, '')
    expect(readme).toContain(`Node.js ≥ ${short}`)
    expect(`>=${min}`).toBe(pkg.engines.node)
  })

  it('explains in the README each package whose engines want more than the supported version', () => {
    const wanting = Object.entries(lock.packages).flatMap(([path, p]) => {
      const range = !Array.isArray(p.engines) ? p.engines?.node : undefined
      if (!path || !range || semver.satisfies(min, range)) return []
      return [path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)]
    })
    expect(wanting.length).toBeGreaterThan(0)
    const unexplained = [...new Set(wanting)].filter((name) => !readme.includes(`\`${name}\``))
    expect(unexplained).toEqual([])
  })
})

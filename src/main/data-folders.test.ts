/**
 * The headless and desktop default data folders differ; the README's "Data folder" table says which each
 * uses on each OS, in agreement with `defaultDataDir` (headless) and docs/desktop.md (the desktop app,
 * Electron's per-user folder), and `npm run headless` prints the folder it uses.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { defaultDataDir } from './config'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** The cells of the first table after a heading, by its first column. */
function tableAfter(markdown: string, heading: string): Map<string, string[]> {
  const lines = markdown.split('\n')
  const start = lines.indexOf(heading)
  expect(start, `${heading} in the document`).toBeGreaterThanOrEqual(0)
  const rows = new Map<string, string[]>()
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break
    if (!line.startsWith('|')) {
      if (rows.size) break
      continue
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim())
    rows.set(cells[0]!, cells.slice(1))
  }
  return rows
}

const firstCode = (cell: string | undefined) => /`([^`]+)`/.exec(cell ?? '')?.[1]

describe('data folders', () => {
  const readme = tableAfter(read('../../README.md'), '### Data folder')
  const desktop = tableAfter(read('../../docs/desktop.md'), '## Where data and logs live')
  const desktopData = [...desktop.entries()].find(([k]) => k.startsWith('Data'))?.[1]
  const oses = [
    ['Linux', 'linux', { HOME: '~' }],
    ['macOS', 'darwin', {}],
    ['Windows', 'win32', { APPDATA: '%APPDATA%' }],
  ] as const

  it.each(oses)('the README names the headless and the desktop folder on %s', (os, platform, env) => {
    const row = readme.get(os)
    expect(row, `${os} row`).toBeDefined()
    expect(firstCode(row![0])).toBe(defaultDataDir(env, platform, '~'))
    const column = [...desktop.keys()].length ? ['Windows', 'macOS', 'Linux'].indexOf(os) : -1
    expect(firstCode(row![1])).toBe(firstCode(desktopData?.[column]))
  })

  it('prints the data folder at start', () => {
    expect(read('./headless.ts')).toContain('Guard station data folder: ${config.dataDir}')
  })
})

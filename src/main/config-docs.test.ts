/**
 * The docs cannot drift from the settings catalog: README's configuration table is the catalog, row by
 * row (variable, default, allowed values, meaning); docs/video.md's defaults match; and config.ts reads
 * no variable that is not in the catalog.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CATALOG } from '../shared/settings/catalog'
import { allowedText, humanValue, rangeText, type Setting } from '../shared/settings/define'
import { VIDEO_SETTINGS } from '../shared/settings/video'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** The rows of the first Markdown table after `heading`, as trimmed cells (header and rule left out). */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n')
  const start = lines.indexOf(heading)
  expect(start, `${heading} in the document`).toBeGreaterThanOrEqual(0)
  const rows: string[][] = []
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break
    if (line.startsWith('|'))
      rows.push(
        line
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim()),
      )
    else if (rows.length) break
  }
  return rows.filter((_, i) => i !== 1)
}

const code = (v: unknown) => `\`${String(v)}\``

function defaultCell(s: Setting): string {
  if (s.defaultNote) return s.defaultNote
  if (s.kind !== 'integer') return code(s.default)
  const human = humanValue(s.default, s.unit)
  return human && human !== `${s.default} ${s.unit}` ? `${code(s.default)} (${human})` : code(s.default)
}

/** README's configuration table as the catalog says it should read. */
const expectedRows = () => [
  ['variable', 'default', 'allowed', 'meaning'],
  ...CATALOG.map((s) => [
    code(s.env),
    defaultCell(s),
    s.kind === 'integer' ? rangeText(s) : allowedText(s),
    s.schema.description,
  ]),
]

describe('configuration docs', () => {
  it("README's configuration table is the settings catalog", () => {
    const rows = tableAfter(read('../../README.md'), '## Configuration')
    const markdown = expectedRows()
      .map((r) => `| ${r.join(' | ')} |`)
      .join('\n')
    expect(rows, `README.md should list (then run prettier on it):\n${markdown}\n`).toEqual(expectedRows())
  })

  it("docs/video.md's settings table has the catalog's defaults", () => {
    const rows = tableAfter(read('../../docs/video.md'), '## Settings').slice(1)
    const byEnv = new Map(Object.values(VIDEO_SETTINGS).map((s) => [s.env, s]))
    expect(rows.map((r) => r[0])).toEqual([...byEnv.keys()].map(code))
    for (const [name, value] of rows) {
      expect(value, name).toBe(String(byEnv.get(name!.replaceAll('`', ''))?.default))
    }
  })

  it('config.ts and video-config.ts read only catalog variables, through the catalog', () => {
    const names = new Set(CATALOG.map((s) => s.env))
    for (const file of ['./config.ts', './video/video-config.ts']) {
      const source = read(file)
      const mentioned =
        source.match(/\b(STATION_[A-Z0-9_]*[A-Z0-9]|USEDB|RATE_LIMIT_MAX|LOG_LEVEL|NODE_ENV)\b/g) ?? []
      for (const name of mentioned) expect(names, `${file} names ${name}`).toContain(name)
      // Only the folders the default data folder is computed from are read directly.
      const direct = [...source.matchAll(/\benv(?:\.(\w+)|\[)/g)].map((m) => m[1] ?? '[')
      expect(
        direct.filter((n) => n !== 'APPDATA' && n !== 'XDG_DATA_HOME'),
        file,
      ).toEqual([])
    }
  })
})

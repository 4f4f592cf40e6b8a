/** The benchmark's result table. */
export interface Row {
  figure: string
  station: string
  baseline: string
  ratio: string
  goal: string
  /** PASS, FAIL, or '' for figures reported without a goal. */
  result: string
}

export const na = (figure: string, goal: string, why: string): Row => ({
  figure,
  station: `n/a (${why})`,
  baseline: '',
  ratio: '',
  goal,
  result: 'n/a',
})

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL'
}

export const num = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a'

export function renderTable(rows: Row[]): string {
  const head: Row = {
    figure: 'Figure',
    station: 'Station',
    baseline: 'Baseline',
    ratio: 'Ratio',
    goal: 'Goal',
    result: 'Result',
  }
  const keys = ['figure', 'station', 'baseline', 'ratio', 'goal', 'result'] as const
  const all = [head, ...rows]
  const width = keys.map((k) => Math.max(...all.map((r) => r[k].length)))
  const line = (r: Row) =>
    keys
      .map((k, i) => r[k].padEnd(width[i]!))
      .join(' | ')
      .trimEnd()
  const sep = width.map((w) => '-'.repeat(w)).join('-|-')
  return [line(head), sep, ...rows.map(line)].join('\n')
}

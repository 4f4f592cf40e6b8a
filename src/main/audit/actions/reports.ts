/** Reports: the shift handover report leaves the station as a page or a PDF (what range, which format). */
import { reportRangeOf } from '../../reports/report-range'
import type { RuleSet } from './types'

export function reportRules(): RuleSet {
  return {
    'report.export': {
      target: () => ({ kind: 'report', id: 'handover' }),
      after: ({ req }) => {
        const r = reportRangeOf(req)
        return r ? { from: r.from, to: r.to, timeZone: r.timeZone, format: r.format } : null
      },
    },
  }
}

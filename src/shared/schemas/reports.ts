/**
 * Reports (issue 12): the shift handover report, `GET /api/reports/handover` (guards), as a printable
 * self-contained HTML page or a PDF made by the station.
 */
import { Type, type Static } from '@sinclair/typebox'
import { EpochMs } from './common'

/** The longest range one report covers. */
export const MAX_REPORT_RANGE_MS = 31 * 86_400_000
/** Without `from`: the last 12 hours. */
export const DEFAULT_REPORT_RANGE_MS = 12 * 3_600_000
/** At most this many alarms go into one report (it says so when there were more). */
export const MAX_REPORT_ALARMS = 500

export const HANDOVER_FORMATS = ['html', 'pdf'] as const
export type HandoverFormat = (typeof HANDOVER_FORMATS)[number]

export const HandoverQuery = Type.Object(
  {
    from: Type.Optional(EpochMs),
    to: Type.Optional(EpochMs),
    format: Type.Optional(
      Type.Union(
        HANDOVER_FORMATS.map((f) => Type.Literal(f)),
        { default: 'html', description: 'html: a printable page; pdf: a PDF file' },
      ),
    ),
    timeZone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: "IANA time zone the report's times are shown in (default: the station's)",
      }),
    ),
  },
  { additionalProperties: false },
)
export type HandoverQuery = Static<typeof HandoverQuery>

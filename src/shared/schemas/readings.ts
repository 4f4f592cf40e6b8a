/** `GET /api/v1/devices/:id/readings`: reading history, paged, or aggregated per bucket for charts. */
import { Type, type Static } from '@sinclair/typebox'
import { SENSOR_NAME_PATTERN } from '../constants'
import { EpochMs } from './common'
import { Reading, ReadingBucket } from './entities'

export const MAX_HISTORY_LIMIT = 10_000
const DAY_MS = 86_400_000

export const ReadingsQuery = Type.Object(
  {
    sensor: Type.Optional(Type.String({ pattern: SENSOR_NAME_PATTERN, maxLength: 64 })),
    from: Type.Optional(EpochMs),
    to: Type.Optional(EpochMs),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HISTORY_LIMIT, default: 1000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
    bucket: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 366 * DAY_MS,
        description: 'Bucket width in ms: aggregates per bucket',
      }),
    ),
  },
  { additionalProperties: false },
)
export type ReadingsQuery = Static<typeof ReadingsQuery>

export const ReadingsResult = Type.Object({
  total: Type.Integer({ description: 'Readings in the range (all of them, not just this page)' }),
  readings: Type.Optional(Type.Array(Reading, { description: 'Newest first (without bucket)' })),
  buckets: Type.Optional(Type.Array(ReadingBucket, { description: 'Oldest first (with bucket)' })),
  bucketMs: Type.Optional(Type.Integer()),
})
export type ReadingsResult = Static<typeof ReadingsResult>

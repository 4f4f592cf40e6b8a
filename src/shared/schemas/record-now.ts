/**
 * "Record now" (`POST /api/v1/recordings/:cameraId/record-now`, guards and admins): a camera in events
 * mode records from its pre-roll for `durationS` (default 30 s), then its post-roll; a camera recording
 * continuously just gets the mark. Either way a `manual` mark names who asked.
 */
import { Type, type Static } from '@sinclair/typebox'
import { EpochMs, Nullable } from './common'

export const RECORD_NOW_DEFAULT_S = 30
export const RECORD_NOW_MAX_S = 3600

export const RecordNowBody = Type.Object(
  {
    durationS: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: RECORD_NOW_MAX_S,
        description: `Seconds to record from now (default ${RECORD_NOW_DEFAULT_S}), then the post-roll`,
      }),
    ),
  },
  { additionalProperties: false },
)
export type RecordNowBody = Static<typeof RecordNowBody>

export const RecordNowResult = Type.Object({
  markId: Type.Integer(),
  /** Recording lasts at least until then (null: the camera does not record). */
  recordingUntil: Nullable(EpochMs),
  state: Type.Union([
    Type.Literal('off'),
    Type.Literal('recording'),
    Type.Literal('waiting'),
    Type.Literal('failed'),
  ]),
})
export type RecordNowResult = Static<typeof RecordNowResult>

/**
 * An admin deleting recorded footage (issue 11): `DELETE /api/v1/recordings?cameraId=&from=&to=`. Whole
 * segments go: every segment overlapping [from, to). Footage an alarm protects is never deleted: the
 * request is refused (409, naming the keep-until date) unless `skipProtected` says to delete the rest.
 */
import { Type, type Static } from '@sinclair/typebox'
import { EpochMs } from './common'

export const RecordingsDeleteQuery = Type.Object(
  {
    cameraId: Type.Integer({ minimum: 1 }),
    from: EpochMs,
    to: EpochMs,
    skipProtected: Type.Optional(
      Type.Boolean({ description: 'Delete the unprotected segments and keep the protected ones (no 409)' }),
    ),
  },
  { additionalProperties: false },
)
export type RecordingsDeleteQuery = Static<typeof RecordingsDeleteQuery>

export const RecordingsDeleted = Type.Object({
  cameraId: Type.Integer(),
  from: EpochMs,
  to: EpochMs,
  deletedSegments: Type.Integer(),
  deletedBytes: Type.Integer(),
  /** Protected segments in the range that were kept (skipProtected). */
  keptProtected: Type.Integer(),
})
export type RecordingsDeleted = Static<typeof RecordingsDeleted>

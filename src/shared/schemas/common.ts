import { Type, type Static, type TSchema } from '@sinclair/typebox'

/** `{ success: true, data }`: the envelope of every successful answer. */
export const Ok = <T extends TSchema>(data: T) =>
  Type.Object({ success: Type.Literal(true), data }, { additionalProperties: false })

/** `{ success: false, statusCode, error, message }`: the envelope of every error. */
export const ErrorBody = Type.Object(
  {
    success: Type.Literal(false),
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    code: Type.Optional(Type.String()),
  },
  { $id: 'ErrorBody' },
)

export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) })
/** What deleting a user or an area answers. */
export const Deleted = Type.Object({ deleted: Type.Boolean(), id: Type.Integer() })
export type Deleted = Static<typeof Deleted>
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
/** Milliseconds since the Unix epoch. */
export const EpochMs = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 })

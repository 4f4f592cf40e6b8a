/** Areas (zones of the site): `/api/areas`. */
import { Type, type Static } from '@sinclair/typebox'
import { Area } from './entities'

const name = Type.String({ minLength: 1, maxLength: 100 })
const description = Type.String({ maxLength: 1000 })

export const AreaList = Type.Array(Area)

/** `POST /api/areas` body. */
export const AreaInput = Type.Object(
  { name, description: Type.Optional(description) },
  { additionalProperties: false },
)
export type AreaInput = Static<typeof AreaInput>

/** `PUT /api/areas/:id` body: the fields to change. */
export const AreaChange = Type.Object(
  { name: Type.Optional(name), description: Type.Optional(description) },
  { additionalProperties: false, minProperties: 1 },
)
export type AreaChange = Static<typeof AreaChange>

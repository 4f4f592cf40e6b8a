/** User management (admins): `/api/users`. */
import { Type, type Static } from '@sinclair/typebox'
import { RoleSchema, User } from './entities'

export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$'

export const UserList = Type.Array(User)

/** `POST /api/users` body. */
export const UserCreate = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN, description: 'Letters, digits, _ . @ -; up to 64' }),
    password: Type.String({ maxLength: 256 }),
    role: RoleSchema,
  },
  { additionalProperties: false },
)
export type UserCreate = Static<typeof UserCreate>

/** `PUT /api/users/:id` body: a new role and/or password. */
export const UserChange = Type.Object(
  { role: Type.Optional(RoleSchema), password: Type.Optional(Type.String({ maxLength: 256 })) },
  { additionalProperties: false, minProperties: 1 },
)
export type UserChange = Static<typeof UserChange>

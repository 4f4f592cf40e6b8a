/**
 * User management (admins): list, create, change role or password, delete. The station always keeps at
 * least one admin. A user whose role or password changes, or who is deleted, is signed out everywhere.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Deleted, IdParam, Ok } from '../../../shared/schemas/common'
import { User } from '../../../shared/schemas/entities'
import { UserChange, UserCreate, UserList } from '../../../shared/schemas/users'
import { hashPassword, passwordProblem } from '../../auth/passwords'
import { errors } from '../errors'

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'

const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const users = app.auth.users
  const admin = { auth: 'admin' as const }

  app.get(
    '/api/users',
    {
      config: { ...admin, cache: {} },
      schema: { tags: ['users'], summary: 'List users', response: { 200: Ok(UserList) } },
    },
    async () => ({ success: true as const, data: users.list() }),
  )

  app.post(
    '/api/users',
    {
      config: { ...admin, audit: 'user.create' },
      schema: { tags: ['users'], summary: 'Create a user', body: UserCreate, response: { 201: Ok(User) } },
    },
    async (req, reply) => {
      const { username, password, role } = req.body
      const problem = passwordProblem(password, username)
      if (problem) throw errors.badRequest(problem)
      if (users.findByUsername(username)) throw errors.conflict(`User "${username}" already exists`)
      const hash = await hashPassword(password)
      let user
      try {
        user = users.create(username, role, hash)
      } catch (err) {
        if (isUniqueViolation(err)) throw errors.conflict(`User "${username}" already exists`)
        throw err
      }
      app.domainEvents.publish({ type: 'user.changed', userId: user.id, change: 'created' })
      return reply.code(201).send({ success: true as const, data: user })
    },
  )

  app.put(
    '/api/users/:id',
    {
      config: { ...admin, audit: 'user.update' },
      schema: {
        tags: ['users'],
        summary: "Change a user's role and/or password (signs them out everywhere)",
        params: IdParam,
        body: UserChange,
        response: { 200: Ok(User) },
      },
    },
    async (req) => {
      const { id } = req.params
      const { role, password } = req.body
      const target = users.get(id)
      if (!target) throw errors.notFound(`User ${id}`)
      if (password !== undefined) {
        const problem = passwordProblem(password, target.username)
        if (problem) throw errors.badRequest(problem)
      }
      const hash = password === undefined ? undefined : await hashPassword(password)
      // Checked after the (slow) hash, right before writing: nothing can change in between.
      const current = users.get(id)
      if (!current) throw errors.notFound(`User ${id}`)
      if (role === 'guard' && current.role === 'admin' && users.admins() <= 1) {
        throw errors.conflict('The last admin cannot become a guard: make another admin first')
      }
      app.db.transaction(() => {
        if (role !== undefined && role !== current.role) users.setRole(id, role)
        if (hash !== undefined) users.setPasswordHash(id, hash)
      })()
      app.auth.forgetSessions(id)
      app.domainEvents.publish({
        type: 'user.changed',
        userId: id,
        change: role !== undefined && role !== current.role ? 'role' : 'password',
      })
      return { success: true as const, data: users.get(id)! }
    },
  )

  app.delete(
    '/api/users/:id',
    {
      config: { ...admin, audit: 'user.delete' },
      schema: {
        tags: ['users'],
        summary: 'Delete a user (never the last admin)',
        params: IdParam,
        response: { 200: Ok(Deleted) },
      },
    },
    async (req) => {
      const { id } = req.params
      const user = users.get(id)
      if (!user) throw errors.notFound(`User ${id}`)
      if (user.role === 'admin' && users.admins() <= 1) {
        throw errors.conflict('The last admin cannot be deleted')
      }
      app.auth.forgetSessions(id)
      users.delete(id)
      app.domainEvents.publish({ type: 'user.changed', userId: id, change: 'deleted' })
      return { success: true as const, data: { deleted: true, id } }
    },
  )
}

export default usersRoutes

/** `/api/rules`: admins read and edit alarm rules (audited); a change reloads the engine at once. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Deleted, IdParam, Ok } from '../../shared/schemas/common'
import { Rule, RuleInput, RuleList } from '../../shared/schemas/alarms'
import { errors } from '../server/errors'

const rulesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { rules } = app.alarms

  app.get(
    '/api/rules',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['alarms'],
        summary: 'Alarm rules with their engine state',
        response: { 200: Ok(RuleList) },
      },
    },
    async () => ({ success: true as const, data: rules.list() }),
  )

  app.get(
    '/api/rules/:id',
    {
      config: { auth: 'admin' },
      schema: { tags: ['alarms'], summary: 'One alarm rule', params: IdParam, response: { 200: Ok(Rule) } },
    },
    async (req) => {
      const r = rules.get(req.params.id)
      if (!r) throw errors.notFound(`Rule ${req.params.id}`)
      return { success: true as const, data: r }
    },
  )

  app.post(
    '/api/rules',
    {
      config: { auth: 'admin', audit: 'rule.create' },
      schema: {
        tags: ['alarms'],
        summary: 'Create an alarm rule',
        body: RuleInput,
        response: { 201: Ok(Rule) },
      },
    },
    async (req, reply) => {
      reply.code(201)
      return { success: true as const, data: rules.create(req.body) }
    },
  )

  app.put(
    '/api/rules/:id',
    {
      config: { auth: 'admin', audit: 'rule.update' },
      schema: {
        tags: ['alarms'],
        summary: 'Replace an alarm rule (its engine state starts over; a disabled rule is enabled again)',
        params: IdParam,
        body: RuleInput,
        response: { 200: Ok(Rule) },
      },
    },
    async (req) => ({ success: true as const, data: rules.replace(req.params.id, req.body) }),
  )

  app.delete(
    '/api/rules/:id',
    {
      config: { auth: 'admin', audit: 'rule.delete' },
      schema: {
        tags: ['alarms'],
        summary: 'Delete an alarm rule (its alarms stay in the history)',
        params: IdParam,
        response: { 200: Ok(Deleted) },
      },
    },
    async (req) => {
      if (!rules.delete(req.params.id)) throw errors.notFound(`Rule ${req.params.id}`)
      return { success: true as const, data: { deleted: true, id: req.params.id } }
    },
  )
}

export default rulesRoutes

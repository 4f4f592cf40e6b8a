/**
 * Station events for guards: the list (unacknowledged first, served from the read pool) and
 * acknowledgements (who, when, an optional note), which go out live as `event.acked`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParam, Ok } from '../../../shared/schemas/common'

import {
  EventAckBody,
  EventAckResult,
  EventBulkAckBody,
  EventBulkAckResult,
  EventsPage,
  EventsQuery,
} from '../../../shared/schemas/events'
import { errors } from '../errors'

const FAR_FUTURE = 8_640_000_000_000_000

const eventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/events',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['events'],
        summary: 'Station events, those waiting for a guard first, then newest first',
        description:
          'Answers `{ events, total }`: `events` holds at most `limit` events in [from, to] (those waiting ' +
          'for a guard first: warnings and above not yet acknowledged; each group newest first); `total` ' +
          'counts every event matching the filter. Info events never wait for an acknowledgement.',
        querystring: EventsQuery,
        response: { 200: Ok(EventsPage) },
      },
    },
    async (req, reply) => {
      const q = req.query
      const unacked: 0 | 1 = q.unacked === true || q.unacked === '1' ? 1 : 0
      const params = {
        unacked,
        from: q.from ?? 0,
        to: q.to ?? FAR_FUTURE,
      }
      if (params.from > params.to) throw errors.badRequest('`from` is after `to`')
      const [events, count] = await Promise.all([
        app.reads.run('events.list', { ...params, limit: q.limit ?? 100 }),
        app.reads.run('events.count', params),
      ])
      reply.header('cache-control', 'private, no-cache')
      return { success: true as const, data: { events, total: count.total } }
    },
  )

  app.post(
    '/api/events/:id/ack',
    {
      config: { auth: 'guard', audit: 'event.acknowledge' },
      // The body is optional: no body at all means no note.
      preValidation: async (req) => {
        req.body ??= {}
      },
      schema: {
        tags: ['events'],
        summary: 'Acknowledge an event (idempotent: the first acknowledgement is kept)',
        description:
          'Records who acknowledged the event, when, and an optional note, and publishes `event.acked` ' +
          'live. Acknowledging an event again answers 200 with the event as first acknowledged ' +
          '(`alreadyAcknowledged: true`); nothing is overwritten. Unknown id: 404.',
        params: IdParam,
        body: EventAckBody,
        response: { 200: Ok(EventAckResult) },
      },
    },
    async (req) => {
      const principal = req.principal
      if (principal?.kind !== 'user') throw errors.forbidden()
      const done = app.events.acknowledge(req.params.id, principal.username, req.body.note)
      if (!done) throw errors.notFound(`Event ${req.params.id}`)
      return { success: true as const, data: { event: done.event, alreadyAcknowledged: !done.recorded } }
    },
  )

  app.post(
    '/api/events/ack',
    {
      config: { auth: 'guard', audit: 'event.acknowledge-many' },
      schema: {
        tags: ['events'],
        summary: 'Acknowledge many events at once, with one optional note',
        description:
          'Acknowledges, in one transaction, each listed event nobody has acknowledged yet (the others keep ' +
          'their first acknowledgement) and publishes `event.acked` for each. Answers the events as they ' +
          'are now (unknown ids left out) and how many this call acknowledged.',
        body: EventBulkAckBody,
        response: { 200: Ok(EventBulkAckResult) },
      },
    },
    async (req) => {
      const principal = req.principal
      if (principal?.kind !== 'user') throw errors.forbidden()
      return {
        success: true as const,
        data: app.events.acknowledgeMany(req.body.ids, principal.username, req.body.note),
      }
    },
  )
}

export default eventsRoutes

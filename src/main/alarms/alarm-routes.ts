/**
 * `/api/alarms`: the guard's workflow (list, one with its history, acknowledge, resolve, assign, raise a
 * manual alarm) and `/api/areas/:id/arming`. Every action is audited.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { IdParam, Ok } from '../../shared/schemas/common'
import {
  Alarm,
  AlarmAddNoteBody,
  AlarmAssignBody,
  AlarmDetail,
  AlarmList,
  AlarmNoteBody,
  AlarmQuery,
  AreaArming,
  AreaArmingBody,
  ManualAlarmBody,
} from '../../shared/schemas/alarms'
import { AreasRepository } from '../areas/areas-repository'
import { errors } from '../server/errors'

function who(req: FastifyRequest): string {
  const p = req.principal
  if (p?.kind !== 'user') throw errors.forbidden()
  return p.username
}

const alarmRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { alarms, engine, arming } = app.alarms
  const areas = new AreasRepository(app.db)
  const noStore = { 'cache-control': 'private, no-cache' }

  app.get(
    '/api/alarms',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['alarms'],
        summary: 'Alarms: open ones first, by severity, newest first',
        querystring: AlarmQuery,
        response: { 200: Ok(AlarmList) },
      },
    },
    async (req, reply) => {
      reply.headers(noStore)
      return { success: true as const, data: alarms.list(req.query) }
    },
  )

  app.get(
    '/api/alarms/:id',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['alarms'],
        summary: 'One alarm with its history',
        params: IdParam,
        response: { 200: Ok(AlarmDetail) },
      },
    },
    async (req, reply) => {
      const a = alarms.detail(req.params.id)
      if (!a) throw errors.notFound(`Alarm ${req.params.id}`)
      reply.headers(noStore)
      return { success: true as const, data: a }
    },
  )

  app.post(
    '/api/alarms',
    {
      config: { auth: 'guard', audit: 'alarm.raise' },
      schema: {
        tags: ['alarms'],
        summary: "Raise a manual rule's alarm (a repeat when its alarm is still open)",
        body: ManualAlarmBody,
        response: { 200: Ok(Alarm) },
      },
    },
    async (req) => {
      const by = who(req)
      const entry = engine.entry(req.body.ruleId)
      if (!entry) throw errors.notFound(`Enabled rule ${req.body.ruleId}`)
      if (entry.rule.trigger.kind !== 'manual')
        throw errors.conflict(`Rule ${req.body.ruleId} is not a manual rule`)
      engine.raiseManual(entry.rule, by, req.body.note)
      const a = alarms.list({ ruleId: entry.rule.id, state: 'open', limit: 1 })[0]
      if (!a) throw errors.conflict('The alarm was not raised')
      return { success: true as const, data: a }
    },
  )

  const step = (
    path: string,
    audit: string,
    summary: string,
    run: (id: number, by: string, body: { note?: string | undefined }) => Alarm,
  ) =>
    app.post(
      `/api/alarms/:id/${path}`,
      {
        config: { auth: 'guard', audit },
        schema: {
          tags: ['alarms'],
          summary,
          params: IdParam,
          body: AlarmNoteBody,
          response: { 200: Ok(Alarm) },
        },
      },
      async (req) => ({ success: true as const, data: run(req.params.id, who(req), req.body ?? {}) }),
    )

  step(
    'ack',
    'alarm.acknowledge',
    'Acknowledge an alarm, with an optional note (409 when it is not active)',
    (id, by, b) => alarms.acknowledge(id, by, b.note),
  )
  step('resolve', 'alarm.resolve', 'Resolve (clear) an open alarm, with an optional note', (id, by, b) =>
    alarms.resolve(id, by, b.note),
  )

  app.post(
    '/api/alarms/:id/note',
    {
      config: { auth: 'guard', audit: 'alarm.note' },
      schema: {
        tags: ['alarms'],
        summary: "Add a note to an alarm's history",
        params: IdParam,
        body: AlarmAddNoteBody,
        response: { 200: Ok(Alarm) },
      },
    },
    async (req) => ({
      success: true as const,
      data: alarms.addNote(req.params.id, who(req), req.body.note),
    }),
  )

  app.post(
    '/api/alarms/:id/assign',
    {
      config: { auth: 'guard', audit: 'alarm.assign' },
      schema: {
        tags: ['alarms'],
        summary: 'Assign an open alarm to a colleague (null: unassign)',
        params: IdParam,
        body: AlarmAssignBody,
        response: { 200: Ok(Alarm) },
      },
    },
    async (req) => ({
      success: true as const,
      data: alarms.assign(req.params.id, who(req), req.body.assignee, req.body.note),
    }),
  )

  app.get(
    '/api/areas/:id/arming',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['alarms'],
        summary: "An area's arming state",
        params: IdParam,
        response: { 200: Ok(AreaArming) },
      },
    },
    async (req, reply) => {
      if (!areas.exists(req.params.id)) throw errors.notFound(`Area ${req.params.id}`)
      reply.headers(noStore)
      return { success: true as const, data: arming.get(req.params.id) }
    },
  )

  app.post(
    '/api/areas/:id/arming',
    {
      config: { auth: 'guard', audit: 'area.arm' },
      schema: {
        tags: ['alarms'],
        summary: 'Arm or disarm an area (audited as area.arm / area.disarm)',
        params: IdParam,
        body: AreaArmingBody,
        response: { 200: Ok(AreaArming) },
      },
    },
    async (req) => {
      if (!areas.exists(req.params.id)) throw errors.notFound(`Area ${req.params.id}`)
      return { success: true as const, data: arming.set(req.params.id, req.body.armed, who(req)) }
    },
  )
}

export default alarmRoutes

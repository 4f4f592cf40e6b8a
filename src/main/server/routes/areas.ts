/** Areas (zones of the site): guards list them, admins manage them. Names are unique. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Deleted, IdParam, Ok } from '../../../shared/schemas/common'
import { Area } from '../../../shared/schemas/entities'
import { AreaChange, AreaInput, AreaList } from '../../../shared/schemas/areas'
import { AreasRepository, DuplicateAreaError } from '../../areas/areas-repository'
import { errors } from '../errors'

const areasRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const areas = new AreasRepository(app.db)
  const duplicate = (n: string) => errors.conflict(`An area named "${n}" already exists`)

  app.get(
    '/api/areas',
    {
      config: { auth: 'guard', cache: {} },
      schema: { tags: ['areas'], summary: 'All areas', response: { 200: Ok(AreaList) } },
    },
    async () => ({ success: true as const, data: areas.list() }),
  )

  app.get(
    '/api/areas/:id',
    {
      config: { auth: 'guard', cache: {} },
      schema: { tags: ['areas'], summary: 'One area', params: IdParam, response: { 200: Ok(Area) } },
    },
    async (req) => {
      const area = areas.get(req.params.id)
      if (!area) throw errors.notFound(`Area ${req.params.id}`)
      return { success: true as const, data: area }
    },
  )

  app.post(
    '/api/areas',
    {
      config: { auth: 'admin', audit: 'area.create' },
      schema: { tags: ['areas'], summary: 'Add an area', body: AreaInput, response: { 201: Ok(Area) } },
    },
    async (req, reply) => {
      const n = req.body.name.trim()
      if (!n) throw errors.badRequest('The name must not be blank')
      try {
        const area = areas.create(n, req.body.description ?? '')
        app.domainEvents.publish({ type: 'area.changed', areaId: area.id, change: 'created' })
        return reply.code(201).send({ success: true as const, data: area })
      } catch (err) {
        if (err instanceof DuplicateAreaError) throw duplicate(n)
        throw err
      }
    },
  )

  app.put(
    '/api/areas/:id',
    {
      config: { auth: 'admin', audit: 'area.update' },
      schema: {
        tags: ['areas'],
        summary: 'Rename or describe an area',
        params: IdParam,
        body: AreaChange,
        response: { 200: Ok(Area) },
      },
    },
    async (req) => {
      const { id } = req.params
      const current = areas.get(id)
      if (!current) throw errors.notFound(`Area ${id}`)
      const n = req.body.name?.trim() ?? current.name
      if (!n) throw errors.badRequest('The name must not be blank')
      try {
        const area = areas.replace(id, n, req.body.description ?? current.description)
        if (!area) throw errors.notFound(`Area ${id}`)
        app.domainEvents.publish({ type: 'area.changed', areaId: id, change: 'updated' })
        return { success: true as const, data: area }
      } catch (err) {
        if (err instanceof DuplicateAreaError) throw duplicate(n)
        throw err
      }
    },
  )

  app.delete(
    '/api/areas/:id',
    {
      config: { auth: 'admin', audit: 'area.delete' },
      schema: {
        tags: ['areas'],
        summary: 'Remove an area (its cameras and devices keep working, without an area)',
        params: IdParam,
        response: { 200: Ok(Deleted) },
      },
    },
    async (req) => {
      const { id } = req.params
      if (!areas.delete(id)) throw errors.notFound(`Area ${id}`)
      // ON DELETE SET NULL changed the cameras and devices that were in it (the cache drops those too).
      app.domainEvents.publish({ type: 'area.changed', areaId: id, change: 'deleted' })
      return { success: true as const, data: { deleted: true, id } }
    },
  )
}

export default areasRoutes

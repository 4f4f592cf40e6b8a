/**
 * Camera routes: every signed-in user lists cameras and the station's own live endpoints for them; admins
 * manage them. What a camera answer holds depends on the caller's role (the response cache keys on it):
 * admins get the admin view (URL with secrets masked, settings), everyone else the view, never a URL.
 * Credentials are write-only (`hasCredentials` says whether any are stored). The service publishes every
 * committed write on the domain event stream: the cached lists are invalidated and desks follow live.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { IdParam, Ok } from '../../shared/schemas/common'
import {
  AdminCamera,
  Camera,
  CameraChangeBody,
  CameraDeleted,
  CameraList,
  CameraStreamList,
  NewCameraBody,
} from '../../shared/schemas/cameras'
import type { Role } from '../../shared/constants'
import { errors } from '../server/errors'

export const ACTIVE_CAMERAS_TTL_MS = 30_000

/** The caller's role: the view a camera answer takes. */
const roleOf = (req: FastifyRequest): Role | undefined =>
  req.principal?.kind === 'user' ? req.principal.role : undefined

const cameraRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cameras = app.cameras

  app.get(
    '/api/cameras',
    {
      config: { auth: 'guard', cache: {} },
      schema: {
        tags: ['cameras'],
        summary: 'All cameras (admins: with URL and settings)',
        response: { 200: Ok(CameraList) },
      },
    },
    async (req) => ({ success: true as const, data: cameras.list(roleOf(req)) }),
  )

  app.get(
    '/api/cameras/active',
    {
      config: { auth: 'guard', cache: { ttlMs: ACTIVE_CAMERAS_TTL_MS } },
      schema: {
        tags: ['cameras'],
        summary: 'Enabled cameras (cached 30 s; invalidated by every camera write)',
        response: { 200: Ok(CameraList) },
      },
    },
    async (req) => ({ success: true as const, data: cameras.listEnabled(roleOf(req)) }),
  )

  app.get(
    '/api/cameras/:id',
    {
      config: { auth: 'guard', cache: {} },
      schema: { tags: ['cameras'], summary: 'One camera', params: IdParam, response: { 200: Ok(Camera) } },
    },
    async (req) => {
      const camera = cameras.get(req.params.id, roleOf(req))
      if (!camera) throw errors.notFound(`Camera ${req.params.id}`)
      return { success: true as const, data: camera }
    },
  )

  app.post(
    '/api/cameras',
    {
      config: { auth: 'admin', audit: 'camera.create' },
      schema: {
        tags: ['cameras'],
        summary: 'Add a camera',
        body: NewCameraBody,
        response: { 201: Ok(AdminCamera) },
      },
    },
    async (req, reply) => reply.code(201).send({ success: true as const, data: cameras.create(req.body) }),
  )

  app.put(
    '/api/cameras/:id',
    {
      config: { auth: 'admin', audit: 'camera.update' },
      schema: {
        tags: ['cameras'],
        summary: 'Change a camera (fields left out keep their value; null clears credentials)',
        params: IdParam,
        body: CameraChangeBody,
        response: { 200: Ok(AdminCamera) },
      },
    },
    async (req) => ({ success: true as const, data: cameras.update(req.params.id, req.body) }),
  )

  app.delete(
    '/api/cameras/:id',
    {
      config: { auth: 'admin', audit: 'camera.delete' },
      schema: {
        tags: ['cameras'],
        summary: 'Remove a camera',
        params: IdParam,
        response: { 200: Ok(CameraDeleted) },
      },
    },
    async (req) => {
      cameras.delete(req.params.id)
      return { success: true as const, data: { deleted: true, id: req.params.id } }
    },
  )

  app.get(
    '/api/stream',
    {
      config: { auth: 'guard', cache: {} },
      schema: {
        tags: ['cameras'],
        summary: "The station's live endpoints for each enabled camera (never a camera's URL)",
        response: { 200: Ok(CameraStreamList) },
      },
    },
    async () => ({ success: true as const, data: cameras.streams() }),
  )
}

export default cameraRoutes

/**
 * Cameras (seed 1): guards list them, admins manage them. Credentials are write-only (`hasCredentials`
 * says whether any are stored); `is_online` belongs to the station. Every write reports `cameras` on the
 * change bus after it commits, so the cached lists (`/api/cameras*`, `/api/stream`) never go stale, and
 * goes out live (`camera.status` with the camera, `camera.removed`) so every desk follows at once.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { IdParam, Nullable, Ok } from '../../../shared/schemas/common'
import { Camera, CameraKindSchema } from '../../../shared/schemas/entities'
import type { CameraKind } from '../../../shared/constants'
import { CamerasRepository, type CameraRecord } from '../../cameras/cameras-repository'
import { checkCameraUrl, MAX_CAMERA_URL, sameAsStored } from '../../cameras/camera-url'
import { AreasRepository } from '../../areas/areas-repository'
import { errors } from '../errors'

export const ACTIVE_CAMERAS_TTL_MS = 30_000

const fields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  kind: Type.Unsafe<CameraKind>(CameraKindSchema),
  url: Nullable(
    Type.String({
      maxLength: MAX_CAMERA_URL,
      description:
        'Pull cameras only: http(s) for mjpeg/snapshot, rtsp for rtsp. Credentials in it are moved out.',
    }),
  ),
  username: Nullable(Type.String({ maxLength: 256, description: 'Write-only' })),
  password: Nullable(Type.String({ maxLength: 256, description: 'Write-only' })),
  areaId: Nullable(Type.Integer({ minimum: 1 })),
  enabled: Type.Boolean(),
  fps: Type.Integer({ minimum: 1, maximum: 60 }),
  stayConnected: Type.Boolean(),
  is_online: Type.Boolean({ description: 'Read-only: managed by the station; sending it is refused' }),
}
const { name, kind, ...optional } = fields
const NewCamera = Type.Object(
  { name, kind, ...Type.Partial(Type.Object(optional)).properties },
  { additionalProperties: false },
)
const CameraChange = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 })
type CameraInput = Static<typeof CameraChange>

/** A credential from the body (null or '' clears it), else from the url's userinfo, else what is stored. */
const credential = (given: string | null | undefined, fromUrl: string | undefined, stored: string | null) =>
  given !== undefined ? given || null : fromUrl !== undefined ? fromUrl || null : stored

const camerasRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cameras = new CamerasRepository(app.db)
  const areas = new AreasRepository(app.db)

  /** Merges a create/update body over what is stored and checks it; throws 400 with the reason. */
  function resolve(input: CameraInput, base: CameraRecord): CameraRecord {
    if (input.is_online !== undefined) {
      throw errors.badRequest('is_online is managed by the station and cannot be written')
    }
    if (input.name !== undefined && !input.name.trim()) throw errors.badRequest('The name must not be blank')
    const kind = input.kind ?? base.kind
    // A camera turned into a push camera drops its old url unless the body says otherwise.
    const url =
      input.url !== undefined && !sameAsStored(input.url, base.url)
        ? input.url
        : kind === 'push' && input.kind !== undefined
          ? null
          : base.url
    const checked = checkCameraUrl(kind, url)
    if (!checked.ok) throw errors.badRequest(checked.problem)
    // Push cameras have nothing to sign in to: a camera turned into one drops its stored credentials.
    const keep = !(kind === 'push' && base.kind !== 'push')
    const username = credential(input.username, checked.username, keep ? base.username : null)
    const password = credential(input.password, checked.password, keep ? base.password : null)
    const areaId = input.areaId !== undefined ? input.areaId : base.areaId
    if (areaId !== null && !areas.exists(areaId)) throw errors.badRequest(`Area ${areaId} does not exist`)
    return {
      name: input.name?.trim() || base.name,
      kind,
      url: checked.url,
      username,
      password,
      areaId,
      enabled: input.enabled ?? base.enabled,
      fps: input.fps ?? base.fps,
      stayConnected: input.stayConnected ?? base.stayConnected,
    }
  }

  const changed = (camera: { id: number; is_online: boolean } & Camera) => {
    app.changes.emit(['cameras'])
    if (app.hasDecorator('live')) {
      app.live.publish({ type: 'camera.status', cameraId: camera.id, online: camera.is_online, camera })
    }
  }

  app.get(
    '/api/cameras',
    {
      config: { auth: 'guard', cache: {} },
      schema: { tags: ['cameras'], summary: 'All cameras', response: { 200: Ok(Type.Array(Camera)) } },
    },
    async () => ({ success: true as const, data: cameras.list() }),
  )

  app.get(
    '/api/cameras/active',
    {
      config: { auth: 'guard', cache: { ttlMs: ACTIVE_CAMERAS_TTL_MS } },
      schema: {
        tags: ['cameras'],
        summary: 'Enabled cameras (cached 30 s; invalidated by every camera write)',
        response: { 200: Ok(Type.Array(Camera)) },
      },
    },
    async () => ({ success: true as const, data: cameras.listEnabled() }),
  )

  app.get(
    '/api/cameras/:id',
    {
      config: { auth: 'guard', cache: {} },
      schema: { tags: ['cameras'], summary: 'One camera', params: IdParam, response: { 200: Ok(Camera) } },
    },
    async (req) => {
      const camera = cameras.get(req.params.id)
      if (!camera) throw errors.notFound(`Camera ${req.params.id}`)
      return { success: true as const, data: camera }
    },
  )

  app.post(
    '/api/cameras',
    {
      config: { auth: 'admin' },
      schema: { tags: ['cameras'], summary: 'Add a camera', body: NewCamera, response: { 201: Ok(Camera) } },
    },
    async (req, reply) => {
      const record = resolve(req.body, {
        name: req.body.name,
        kind: req.body.kind,
        url: null,
        username: null,
        password: null,
        areaId: null,
        enabled: true,
        fps: 10,
        stayConnected: false,
      })
      const camera = cameras.create(record)
      changed(camera)
      return reply.code(201).send({ success: true as const, data: camera })
    },
  )

  app.put(
    '/api/cameras/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['cameras'],
        summary: 'Change a camera (fields left out keep their value; null clears credentials)',
        params: IdParam,
        body: CameraChange,
        response: { 200: Ok(Camera) },
      },
    },
    async (req) => {
      const { id } = req.params
      const stored = cameras.record(id)
      if (!stored) throw errors.notFound(`Camera ${id}`)
      const camera = cameras.replace(id, resolve(req.body, stored))
      if (!camera) throw errors.notFound(`Camera ${id}`)
      changed(camera)
      return { success: true as const, data: camera }
    },
  )

  app.delete(
    '/api/cameras/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['cameras'],
        summary: 'Remove a camera',
        params: IdParam,
        response: { 200: Ok(Type.Object({ deleted: Type.Boolean(), id: Type.Integer() })) },
      },
    },
    async (req) => {
      const { id } = req.params
      if (!cameras.delete(id)) throw errors.notFound(`Camera ${id}`)
      app.changes.emit(['cameras'])
      if (app.hasDecorator('live')) app.live.publish({ type: 'camera.removed', cameraId: id })
      return { success: true as const, data: { deleted: true, id } }
    },
  )
}

export default camerasRoutes

/**
 * Watching cameras: MJPEG (`<img src>`-ready), binary WebSocket frames, the latest frame as a JPEG, the
 * stream tokens that let an <img> authenticate, per-camera stats, and push-camera tokens (admin).
 * Every viewer endpoint needs a signed-in user: a Bearer session, or a stream token in `?token=`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import { Ok } from '../../../shared/schemas/common'
import {
  CameraIdParams,
  PushToken,
  PushTokenRevoked,
  StreamToken,
  StreamTokenBody,
} from '../../../shared/schemas/cameras'
import { newToken, hashToken } from '../../auth/tokens'
import { MjpegViewer, Mp4Viewer, WsViewer } from '../../video/viewers'
import { firstChoice } from '../../video/stream-choice'
import { SnapshotError } from '../../video/ffmpeg/keyframe-jpeg'
import { FFMPEG_MISSING } from '../../video/ffmpeg/resolve-ffmpeg'
import { videoErrors } from '../../video/video-errors'
import { VideoStatsSchema } from '../../video/video-schemas'
import type { CameraChannel } from '../../video/camera-channel'
import { errors, type StationError } from '../errors'
import { sessionCredential, type Closable } from '../../auth/open-connections'
import { ConnectionBudget, VIEWER_PER_IP, VIEWER_PER_USER } from '../../ws/connection-budget'
import { guardStats } from '../../cameras/guard-safe'

const CameraParams = CameraIdParams
const ViewerQuery = Type.Object({
  fps: Type.Optional(
    Type.Number({
      minimum: 0.1,
      maximum: 60,
      description: 'Lower rate for this viewer (e.g. 2 for thumbnails)',
    }),
  ),
  token: Type.Optional(
    Type.String({ maxLength: 200, description: 'Stream token (POST /api/v1/stream/token)' }),
  ),
})
const StreamQuery = Type.Object({
  stream: Type.Optional(
    Type.Union([Type.Literal('main'), Type.Literal('sub')], {
      description:
        'RTSP cameras: main (full resolution, the default) or sub (the smaller stream for grid tiles; main if the camera has none)',
    }),
  ),
  token: ViewerQuery.properties.token,
})
const WsQuery = Type.Object({
  ...ViewerQuery.properties,
  ...StreamQuery.properties,
  hevc: Type.Optional(
    Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')], {
      description:
        'RTSP cameras: the client can decode H.265 (MediaSource.isTypeSupported). Without it, an H.265 camera is served from its sub stream, or transcoded to H.264',
    }),
  ),
})
const SnapshotQuery = Type.Object({ token: ViewerQuery.properties.token })

const videoViewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hub = app.video

  /** The camera's channel if it can be watched; `as` says how (JPEG frames, or fMP4 video). */
  function viewable(id: number, as?: 'jpeg' | 'video'): CameraChannel {
    const ch = hub.channel(id)
    if (!ch) throw videoErrors.unknownCamera(id)
    const unusable = ch.usable
    if (unusable) throw videoErrors.unavailable(id, unusable)
    if (as === 'jpeg' && ch.media === 'video') {
      throw videoErrors.unavailable(
        id,
        `it sends H.264/H.265 video: watch it at /ws/stream/${id} or /api/v1/stream/${id}/live.mp4`,
      )
    }
    if (as === 'video' && ch.media !== 'video') {
      throw videoErrors.unavailable(id, `it sends JPEG frames: watch it at /api/v1/stream/${id}/mjpeg`)
    }
    return ch
  }

  const snapshotWaitMs = hub.config.connectTimeoutMs + 2000

  /**
   * A video camera's snapshot: its latest key frame (connecting its sub stream for one if nothing runs),
   * decoded to JPEG on demand; decodes are shared and cached for a second (ffmpeg/keyframe-jpeg.ts).
   */
  async function videoSnapshot(ch: CameraChannel) {
    const snapshots = hub.snapshots
    if (!snapshots) throw videoErrors.unavailable(ch.id, FFMPEG_MISSING)
    const key = await ch.keyframe(snapshotWaitMs)
    if (!key) return undefined
    try {
      const data = await snapshots.get(ch.id, key.init, key.unit)
      return { data, wallAt: key.unit.wallAt, seq: key.unit.seq, receivedAt: key.unit.receivedAt }
    } catch (err) {
      if (err instanceof SnapshotError && err.reason === 'busy') throw videoErrors.snapshotsBusy()
      app.log.warn({ err, cameraId: ch.id }, 'snapshot decode failed')
      return undefined
    }
  }

  /** Viewers have their own budget, with caps per user and per address (ws/connection-budget.ts). */
  const viewers = new ConnectionBudget('video viewers', {
    max: hub.config.maxViewers,
    perUser: VIEWER_PER_USER,
    perIp: VIEWER_PER_IP,
  })
  const viewerKey = (req: FastifyRequest) => (req.principal?.kind === 'user' ? req.principal.username : '')

  function checkViewerLimit(req: FastifyRequest): void {
    const refused = viewers.refusal(viewerKey(req), req.ip)
    if (refused) throw refused
  }

  /** Takes a viewer's place (released when it closes); false when the budget ran out meanwhile. */
  function takeViewerPlace(
    req: FastifyRequest,
    onClosed: (release: () => void) => void,
  ): StationError | undefined {
    const place = viewers.take(viewerKey(req), req.ip)
    if ('refused' in place) return place.refused
    onClosed(place.release)
    return undefined
  }

  app.post(
    '/api/v1/stream/token',
    {
      // Video tiles ask for these on their own: not the guard's action, so it does not renew the session.
      config: { auth: 'guard', renewsSession: false },
      schema: {
        tags: ['video'],
        summary:
          'A short-lived token to open viewer endpoints (?token=), for clients that cannot send headers',
        body: StreamTokenBody,
        response: { 200: Ok(StreamToken) },
      },
    },
    async (req) => {
      const p = req.principal
      if (p?.kind !== 'user') throw errors.forbidden()
      const cameraId = req.body?.cameraId ?? null
      if (cameraId !== null && !hub.channel(cameraId)) throw videoErrors.unknownCamera(cameraId)
      const t = hub.tokens.issue(
        { userId: p.id, username: p.username, role: p.role, sessionHash: p.tokenHash },
        cameraId,
      )
      return { success: true as const, data: { ...t, ttlMs: hub.config.streamTokenTtlMs } }
    },
  )

  /** Registers a viewer with the session it was opened with: it closes when that session ends. */
  function trackViewer(req: FastifyRequest, viewer: Closable): void {
    const p = req.principal
    if (p?.kind === 'user') app.connections.trackSocket(sessionCredential(p), viewer)
  }

  app.get(
    '/api/v1/stream/stats',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['video'],
        summary:
          'Per-camera live video figures: state, fps in/out, bytes/s, last frame age, viewers, reconnects',
        response: { 200: Ok(VideoStatsSchema) },
      },
    },
    async (req) => {
      const stats = hub.stats()
      const admin = req.principal?.kind === 'user' && req.principal.role === 'admin'
      return { success: true as const, data: admin ? stats : guardStats(stats) }
    },
  )

  app.get(
    '/api/v1/stream/:cameraId/mjpeg',
    {
      exposeHeadRoute: false,
      config: { auth: 'guard', tokenScope: 'stream' },
      schema: {
        tags: ['video'],
        summary: 'Live MJPEG (multipart/x-mixed-replace), usable as <img src>; ?fps= lowers the rate',
        params: CameraParams,
        querystring: ViewerQuery,
        response: {
          200: {
            description: 'Live video as JPEG images, one per part',
            content: {
              'multipart/x-mixed-replace': {
                schema: Type.String({ format: 'binary', description: 'parts of Content-Type image/jpeg' }),
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const ch = viewable(req.params.cameraId, 'jpeg')
      const refused = takeViewerPlace(req, (release) => reply.raw.once('close', release))
      if (refused) throw refused
      reply.hijack()
      req.raw.socket.setNoDelay(true)
      new MjpegViewer(reply.raw, req.query.fps).watch(ch)
      // Ended the moment the session behind it ends (a stream token lives only as long as its session).
      // An HTTP stream has no close code: it ends.
      trackViewer(req, { close: () => reply.raw.destroy(), once: (e, l) => reply.raw.once(e, l) })
    },
  )

  app.get(
    '/api/v1/stream/:cameraId/live.mp4',
    {
      exposeHeadRoute: false,
      config: { auth: 'guard', tokenScope: 'stream' },
      schema: {
        tags: ['video'],
        summary:
          "Live fragmented MP4 (RTSP cameras) over chunked HTTP: the camera's H.264/H.265 as is, one fragment per frame, for <video>, VLC or ffprobe",
        params: CameraParams,
        querystring: StreamQuery,
        response: {
          200: {
            description: 'The init segment (ftyp+moov), then one moof+mdat per frame',
            content: {
              'video/mp4': { schema: Type.String({ format: 'binary', description: 'fragmented MP4' }) },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const ch = viewable(req.params.cameraId, 'video')
      const refused = takeViewerPlace(req, (release) => reply.raw.once('close', release))
      if (refused) throw refused
      reply.hijack()
      req.raw.socket.setNoDelay(true)
      new Mp4Viewer(reply.raw).watch(ch, firstChoice(req.query.stream ?? 'main'))
      trackViewer(req, { close: () => reply.raw.destroy(), once: (e, l) => reply.raw.once(e, l) })
    },
  )

  app.get(
    '/api/v1/stream/:cameraId/snapshot.jpg',
    {
      config: { auth: 'guard', tokenScope: 'stream' },
      schema: {
        tags: ['video'],
        summary:
          "The camera's latest frame as a JPEG (connects a pull camera briefly if needed; RTSP cameras: the latest key frame, decoded on demand and cached for a second)",
        params: CameraParams,
        querystring: SnapshotQuery,
        response: {
          200: {
            description: 'The latest frame',
            content: {
              'image/jpeg': {
                schema: Type.Unsafe<Buffer>({
                  type: 'string',
                  format: 'binary',
                  description: 'a JPEG image',
                }),
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const id = req.params.cameraId
      const ch = viewable(id)
      const frame = ch.media === 'video' ? await videoSnapshot(ch) : await ch.snapshot(snapshotWaitMs)
      if (!frame) throw videoErrors.noFrame(id, ch.state(), ch.sourceInfo().lastError ?? ch.lastProblem)
      ch.totals.snapshotsServed++
      return reply
        .header('content-type', 'image/jpeg')
        .header('cache-control', 'no-store, private, max-age=0')
        .header('last-modified', new Date(frame.wallAt).toUTCString())
        .header('x-frame-seq', String(frame.seq))
        .header('x-frame-age-ms', String(Math.max(0, Math.round(performance.now() - frame.receivedAt))))
        .send(frame.data)
    },
  )

  app.get(
    '/ws/stream/:cameraId',
    {
      websocket: true,
      config: { auth: 'guard', tokenScope: 'stream' },
      schema: {
        tags: ['video'],
        summary:
          'Live video as binary WebSocket messages: JPEG frames (JPEG cameras; send {"fps":N} to change the rate), or for RTSP cameras a text {"type":"init",codec,stream,mode} then the fMP4 init segment and one fragment per frame. JSON text messages carry camera status.',
        params: CameraParams,
        querystring: WsQuery,
      },
      preHandler: async (req) => {
        viewable((req.params as { cameraId: number }).cameraId)
        checkViewerLimit(req)
      },
    },
    (socket, req) => {
      const { cameraId } = req.params as { cameraId: number }
      const { fps, stream, hevc } = req.query as Static<typeof WsQuery>
      const ch = hub.channel(cameraId)
      if (!ch || ch.usable) {
        socket.close(1008, 'camera unavailable')
        return
      }
      const refused = takeViewerPlace(req, (release) => socket.once('close', release))
      if (refused) {
        socket.close(1013, refused.message)
        return
      }
      if (ch.media === 'video') {
        const abilities = { hevc: hevc === '1' || hevc === 'true' }
        const viewer = new WsViewer(socket, undefined, app.config.ws.pingIntervalMs, abilities)
        viewer.watch(ch, firstChoice(stream ?? 'main'))
        trackViewer(req, socket)
        return
      }
      const viewer = new WsViewer(socket, fps, app.config.ws.pingIntervalMs)
      socket.on('message', (data, isBinary) => {
        if (isBinary || !Buffer.isBuffer(data) || data.length > 256) return
        try {
          const msg = JSON.parse(data.toString('utf8')) as { fps?: unknown }
          if (msg.fps === null || msg.fps === 0) viewer.setFps(undefined)
          else if (typeof msg.fps === 'number' && msg.fps >= 0.1 && msg.fps <= 60) viewer.setFps(msg.fps)
        } catch {
          // Not JSON: ignored (viewers have nothing else to say).
        }
      })
      viewer.watch(ch)
      trackViewer(req, socket)
    },
  )

  const PushTokenAnswer = Ok(PushToken)
  const PushTokenRevokedAnswer = Ok(PushTokenRevoked)
  app.post(
    '/api/v1/stream/:cameraId/push-token',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['video'],
        summary: 'Issues (or replaces) a push camera token: the camera sends it as Authorization: Bearer',
        params: CameraParams,
        response: { 200: PushTokenAnswer },
      },
    },
    async (req) => {
      const id = req.params.cameraId
      const camera = app.cameras.get(id, 'admin')
      if (!camera) throw videoErrors.unknownCamera(id)
      if (camera.kind !== 'push') throw videoErrors.notPush(id, camera.kind)
      const token = newToken()
      if (!app.cameras.setPushToken(id, hashToken(token))) throw videoErrors.unknownCamera(id)
      return { success: true as const, data: { token } }
    },
  )

  app.delete(
    '/api/v1/stream/:cameraId/push-token',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['video'],
        summary: "Revokes a push camera's token (the site key still works)",
        params: CameraParams,
        response: { 200: PushTokenRevokedAnswer },
      },
    },
    async (req) => {
      const id = req.params.cameraId
      if (!app.cameras.setPushToken(id, null)) throw videoErrors.unknownCamera(id)
      return { success: true as const, data: { revoked: true } }
    },
  )
}

export default videoViewRoutes

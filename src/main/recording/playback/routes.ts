/**
 * Playback and export routes (guards and admins): a camera's timeline (recorded ranges and marks), its
 * segments in a range, a segment's file (byte ranges, ETag), and exports: a job with progress, its status,
 * its file, or the one-shot `export.mp4`. File answers accept a stream token in `?token=` (a <video> or a
 * download link cannot send the session header). Bounded: a timeline covers at most a month, a segment
 * answer at most SEGMENTS_MAX_LIMIT segments, an export at most a day, exports run a few at a time.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { stat } from 'node:fs/promises'
import { Type } from '@sinclair/typebox'
import { Ok } from '../../../shared/schemas/common'
import { RecordingTimeline, RecordingsQuery } from '../../../shared/schemas/recordings'
import {
  ExportJob,
  ExportJobParams,
  ExportParams,
  ExportQuery,
  ExportRange,
  SEGMENTS_DEFAULT_LIMIT,
  SegmentFileParams,
  SegmentFileQuery,
  SegmentList,
  SegmentsQuery,
  TIMELINE_MAX_ITEMS,
  TIMELINE_MAX_RANGE_MS,
} from '../../../shared/schemas/playback'
import { errors } from '../../server/errors'
import { sendFile } from './file-reply'
import { exportErrors, type ExportOwner } from './export-service'

const Mp4 = (description: string) => ({
  description,
  content: { 'video/mp4': { schema: Type.String({ format: 'binary', description }) } },
})

export const segmentUrl = (id: number) => `/api/v1/recordings/segments/${id}.mp4`

function checkRange(from: number, to: number, max: number): void {
  if (!(to > from)) throw errors.badRequest('to must be after from')
  if (to - from > max)
    throw errors.badRequest(`The range covers at most ${Math.round(max / 86_400_000)} days`)
}

function ownerOf(req: FastifyRequest): ExportOwner {
  const p = req.principal
  if (p?.kind !== 'user') throw errors.forbidden()
  return { username: p.username, admin: p.role === 'admin' }
}

const playbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { exports, fileOf } = app.playback
  const segmentFile = app.db.prepare<[number], { path: string; start: number }>(
    'SELECT path, start_ms AS start FROM recording_segments WHERE id = ?',
  )

  app.get(
    '/api/v1/recordings',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['recordings'],
        summary:
          "A camera's timeline in [from, to) (at most 31 days): recorded ranges (adjacent segments merged; a gap over 1.5 frames or 1 s splits them, clipped to the range) and motion, alarm and manual marks",
        querystring: RecordingsQuery,
        response: { 200: Ok(RecordingTimeline) },
      },
    },
    async (req, reply) => {
      const { cameraId, from, to } = req.query
      checkRange(from, to, TIMELINE_MAX_RANGE_MS)
      const params = { cameraId, from, to, limit: TIMELINE_MAX_ITEMS }
      const [ranges, marks] = await Promise.all([
        app.reads.run('playback.ranges', params),
        app.reads.run('playback.marks', params),
      ])
      reply.header('cache-control', 'private, no-cache')
      return { success: true as const, data: { cameraId, from, to, ranges, marks } }
    },
  )

  app.get(
    '/api/v1/recordings/segments',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['recordings'],
        summary:
          'The recorded segments of a camera overlapping [from, to), oldest first, each with the URL of its fragmented MP4; at most `limit` (ask again from the last end for more)',
        querystring: SegmentsQuery,
        response: { 200: Ok(SegmentList) },
      },
    },
    async (req, reply) => {
      const { cameraId, from, to, limit } = req.query
      checkRange(from, to, TIMELINE_MAX_RANGE_MS)
      const rows = await app.reads.run('playback.segments', {
        cameraId,
        from,
        to,
        limit: limit ?? SEGMENTS_DEFAULT_LIMIT,
      })
      reply.header('cache-control', 'private, no-cache')
      return {
        success: true as const,
        data: rows.map((r) => ({ ...r, motion: r.motion === 1, url: segmentUrl(r.id) })),
      }
    },
  )

  app.get(
    '/api/v1/recordings/segments/:id.mp4',
    {
      config: { auth: 'guard', tokenScope: 'stream' },
      schema: {
        tags: ['recordings'],
        summary:
          'One segment file: a standalone fragmented MP4 (init segment, one fragment per frame) starting at a keyframe; byte ranges, ETag',
        params: SegmentFileParams,
        querystring: SegmentFileQuery,
        response: { 200: Mp4('fragmented MP4'), 206: Mp4('the requested bytes') },
      },
    },
    async (req, reply) => {
      const { id } = req.params
      const row = segmentFile.get(id)
      const file = row ? fileOf(row.path) : undefined
      const size = file
        ? await stat(file).then(
            (s) => s.size,
            () => undefined,
          )
        : undefined
      if (!row || !file || size === undefined) throw errors.notFound(`Segment ${id}`)
      return sendFile(req, reply, {
        file,
        size,
        etag: `"seg-${id}-${row.start}-${size}"`,
        contentType: 'video/mp4',
        // A segment never changes once indexed (retention may delete it: then 404).
        cacheControl: 'private, max-age=3600',
      })
    },
  )

  app.post(
    '/api/v1/recordings/:cameraId/exports',
    {
      config: { auth: 'guard', audit: 'recording.export' },
      schema: {
        tags: ['recordings'],
        summary:
          'Starts an export of [from, to) (at most 24 h): a standard MP4 (faststart, cut at keyframes, station, camera and times in its metadata). Poll its status; 429/503 with Retry-After when too many run',
        params: ExportParams,
        body: ExportRange,
        response: { 202: Ok(ExportJob) },
      },
    },
    async (req, reply) => {
      const job = await exports.start(ownerOf(req), req.params.cameraId, req.body.from, req.body.to)
      return reply.code(202).send({ success: true as const, data: job })
    },
  )

  app.get(
    '/api/v1/recordings/exports/:id',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['recordings'],
        summary: "An export's state and progress (its creator's, or any for admins)",
        params: ExportJobParams,
        response: { 200: Ok(ExportJob) },
      },
    },
    async (req, reply) => {
      const job = exports.get(req.params.id, ownerOf(req))
      if (!job) throw errors.notFound(`Export ${req.params.id}`)
      reply.header('cache-control', 'no-store')
      return { success: true as const, data: job }
    },
  )

  app.delete(
    '/api/v1/recordings/exports/:id',
    {
      config: { auth: 'guard', audit: 'recording.export-cancel' },
      schema: {
        tags: ['recordings'],
        summary: 'Cancels an export (its ffmpeg is stopped), or removes a finished one and its file',
        params: ExportJobParams,
        response: { 200: Ok(ExportJob) },
      },
    },
    async (req) => {
      const job = await exports.cancel(req.params.id, ownerOf(req))
      if (!job) throw errors.notFound(`Export ${req.params.id}`)
      return { success: true as const, data: job }
    },
  )

  app.get(
    '/api/v1/recordings/exports/:id/file',
    {
      config: { auth: 'guard', tokenScope: 'stream' },
      schema: {
        tags: ['recordings'],
        summary: "A finished export's MP4, as an attachment named after the camera and the times",
        params: ExportJobParams,
        querystring: SegmentFileQuery,
        response: { 200: Mp4('MP4 (faststart)'), 206: Mp4('the requested bytes') },
      },
    },
    async (req, reply) => {
      const id = req.params.id
      const f = exports.file(id, ownerOf(req))
      if (!f) throw errors.notFound(`Finished export ${id}`)
      return sendFile(req, reply, {
        file: f.path,
        size: f.bytes,
        etag: `"export-${id}"`,
        contentType: 'video/mp4',
        cacheControl: 'private, no-cache',
        downloadName: f.fileName,
      })
    },
  )

  app.get(
    '/api/v1/recordings/:cameraId/export.mp4',
    {
      exposeHeadRoute: false,
      config: { auth: 'guard', tokenScope: 'stream', audit: 'recording.export' },
      schema: {
        tags: ['recordings'],
        summary:
          'Exports [from, to) and answers the MP4 once made (one request; for progress, POST .../exports). X-Estimated-Bytes says the expected size',
        params: ExportParams,
        querystring: ExportQuery,
        response: { 200: Mp4('MP4 (faststart)') },
      },
    },
    async (req, reply) => {
      const owner = ownerOf(req)
      const started = await exports.start(owner, req.params.cameraId, req.query.from, req.query.to)
      // Whether the client goes away meanwhile or the answer is sent: the job and its file go.
      reply.raw.once('close', () => void exports.discard(started.id))
      const job = await exports.wait(started.id)
      const f = job?.state === 'done' ? exports.file(job.id, owner) : undefined
      if (!job || !f) {
        if (job?.state === 'cancelled') throw errors.shuttingDown()
        throw exportErrors.failed(job?.error ?? 'the export failed')
      }
      reply.header('x-estimated-bytes', String(started.estimatedBytes))
      if (job.sha256) reply.header('x-content-sha256', job.sha256)
      return sendFile(req, reply, {
        file: f.path,
        size: f.bytes,
        etag: `"export-${job.id}"`,
        contentType: 'video/mp4',
        cacheControl: 'no-store',
        downloadName: f.fileName,
      })
    },
  )
}

export default playbackRoutes

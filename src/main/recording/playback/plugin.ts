/**
 * Playback and export of recorded footage (`app.playback`, plugin `station-playback`): where the segment
 * files are, and the export jobs (export-service.ts). The routes are in ./routes.ts. Reads go through the
 * read pool (playback-reads.ts); the recorder owns the index and the files, this plugin only reads them.
 */
import fp from 'fastify-plugin'
import { recordingsRoot } from '../segment-path'
import { hostname } from 'node:os'
import path from 'node:path'
import { resolveFfmpeg } from '../../video/ffmpeg/resolve-ffmpeg'
import { ExportService } from './export-service'
import { inside } from './file-reply'

export interface PlaybackService {
  /** `<dataDir>/recordings`: the index's paths are relative to it. */
  readonly recordingsDir: string
  readonly exports: ExportService
  /** The absolute path of an indexed file, or undefined when the path would leave the folder. */
  fileOf(relPath: string): string | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    playback: PlaybackService
  }
}

/** Bounds a segment query of an export: 24 h of 10 s segments is 8640. */
const EXPORT_MAX_SEGMENTS = 20_000

export default fp(
  async (app) => {
    const recordingsDir = recordingsRoot(app.config.dataDir)
    const fileOf = (rel: string) => inside(recordingsDir, rel)
    const exports = new ExportService({
      ffmpeg: () => resolveFfmpeg(app.config.video, { log: app.log }),
      segments: async (cameraId, from, to) => {
        const rows = await app.reads.run('playback.exportSegments', {
          cameraId,
          from,
          to,
          limit: EXPORT_MAX_SEGMENTS,
        })
        return rows.flatMap((r) => {
          const file = fileOf(r.path)
          return file ? [{ start: r.start, end: r.end, bytes: r.bytes, file }] : []
        })
      },
      cameraName: (id) => app.cameras.get(id, 'admin')?.name ?? `Camera ${id}`,
      stationName: `Guard Station ${hostname()}`,
      tmpDir: path.join(app.config.dataDir, 'exports-tmp'),
      log: app.log.child({ component: 'exports' }),
    })
    app.decorate('playback', { recordingsDir, exports, fileOf })
    // Before the HTTP server closes: a running ffmpeg is killed and the temporary files go.
    app.addHook('preClose', async () => exports.close())
  },
  {
    name: 'station-playback',
    dependencies: ['station-database', 'station-cameras'],
  },
)

/**
 * Serves the built renderer (browser mode: remote guard desks and tablets open the station's URL).
 * The page and its assets are public; everything they load from the API needs a session.
 */
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export default fp(
  async (app) => {
    const dir = app.config.rendererDir
    if (!dir || !existsSync(join(dir, 'index.html'))) {
      app.log.info({ dir }, 'renderer build not found: serving the API only')
      return
    }
    await app.register(fastifyStatic, { root: dir, serve: false })
    const page = { config: { auth: 'public' as const }, schema: { hide: true } }
    app.get('/', page, (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'))
    app.get<{ Params: { '*': string } }>('/assets/*', page, (req, reply) =>
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .sendFile(join('assets', req.params['*'])),
    )
  },
  { name: 'station-renderer', dependencies: ['station-auth'] },
)

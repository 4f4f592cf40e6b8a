/**
 * Serves the built renderer (browser mode: remote guard desks and tablets open the station's URL).
 * The page and its assets are public; everything they load from the API needs a session.
 */
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { RENDERER_CSP } from '../security-headers'

export default fp(
  async (app) => {
    const dir = app.config.rendererDir
    if (!dir || !existsSync(join(dir, 'index.html'))) {
      app.log.info({ dir }, 'renderer build not found: serving the API only')
      return
    }
    // cacheControl: false, or @fastify/static replaces our Cache-Control with `public, max-age=0`.
    await app.register(fastifyStatic, { root: dir, serve: false, cacheControl: false })
    const page = { config: { auth: 'public' as const }, schema: { hide: true } }
    app.get('/', page, (_req, reply) =>
      reply
        .header('cache-control', 'no-cache')
        .header('content-security-policy', RENDERER_CSP)
        .sendFile('index.html'),
    )
    // Vite names assets by content hash: a name never changes meaning, so browsers keep them for good.
    app.get<{ Params: { '*': string } }>('/assets/*', page, (req, reply) =>
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .sendFile(join('assets', req.params['*'])),
    )
  },
  { name: 'station-renderer', dependencies: ['station-auth'] },
)

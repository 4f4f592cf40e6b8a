import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createTestStation, type TestStation } from '../test-helper'
import { hostOf } from '../allowed-hosts'
import { cspProblems, parseCsp } from '../../electron/csp'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('Host and Origin checks (DNS rebinding, CSRF)', () => {
  let st: TestStation
  let admin: string
  beforeAll(async () => {
    st = await createTestStation({ STATION_ALLOWED_HOSTS: 'nvr.site.lan' })
    admin = await st.login()
  })
  afterAll(() => st.close())

  const createArea = (headers: Record<string, string>, name: string) =>
    st.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: { ...bearer(admin), ...headers },
      payload: { name },
    })

  it('refuses state changes addressed to a name that is not the station’s own', async () => {
    const rebound = await createArea({ host: 'attacker.example:8787' }, 'Rebound')
    expect(rebound.statusCode).toBe(403)
    expect(rebound.json()).toMatchObject({ code: 'FOREIGN_HOST' })
    expect(rebound.json().message).toMatch(/STATION_ALLOWED_HOSTS/)
    expect((await createArea({ host: 'nvr.site.lan:8787' }, 'Allowed by name')).statusCode).toBe(201)
    expect((await createArea({ host: '127.0.0.1:8787' }, 'Loopback')).statusCode).toBe(201)
    // Reads are not state changes.
    const read = await st.app.inject({
      method: 'GET',
      url: '/api/areas',
      headers: { ...bearer(admin), host: 'attacker.example' },
    })
    expect(read.statusCode).toBe(200)
  })

  it('compares the Origin’s scheme as well as its host and port', async () => {
    const https = await createArea({ host: 'localhost:8787', origin: 'https://localhost:8787' }, 'Scheme')
    expect(https.statusCode).toBe(403)
    expect(https.json()).toMatchObject({ code: 'FOREIGN_ORIGIN' })
    expect(
      (await createArea({ host: 'localhost:8787', origin: 'http://localhost:8787' }, 'Same')).statusCode,
    ).toBe(201)
  })

  it('refuses a WebSocket upgrade with a foreign Host on a real socket', async () => {
    const { port } = new URL((await st.start()).url)
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/live?token=${admin}`, {
        headers: { host: `attacker.example:${port}` },
      })
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => {
        ws.close()
        resolve(101)
      })
    })
    expect(status).toBe(403)
  })

  it('reads the host part of a Host header', () => {
    expect(hostOf('Station.LAN:8787')).toBe('station.lan')
    expect(hostOf('[fe80::1]:8787')).toBe('fe80::1')
    expect(hostOf('10.0.0.5')).toBe('10.0.0.5')
  })
})

describe('security headers on every answer', () => {
  let st: TestStation
  let base: string
  let renderer: string
  beforeAll(async () => {
    renderer = mkdtempSync(join(tmpdir(), 'station-renderer-'))
    mkdirSync(join(renderer, 'assets'))
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>')
    writeFileSync(join(renderer, 'assets', 'index-abc123.js'), 'console.log(1)')
    st = await createTestStation({ STATION_RENDERER_DIR: renderer })
    base = (await st.start()).url
  })
  afterAll(async () => {
    await st.close()
    rmSync(renderer, { recursive: true, force: true })
  })

  const expectSecurityHeaders = (res: Response) => {
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
  }

  it('API answers, refusals and cache hits carry nosniff, DENY and a referrer policy', async () => {
    expectSecurityHeaders(await fetch(`${base}/api/health`))
    expectSecurityHeaders(await fetch(`${base}/api/cameras`))
    const token = await st.login()
    await fetch(`${base}/api/cameras/active`, { headers: bearer(token) })
    const hit = await fetch(`${base}/api/cameras/active`, { headers: bearer(token) })
    expect(hit.headers.get('x-cache')).toBe('HIT')
    expectSecurityHeaders(hit)
  })

  it('the page comes with a real CSP header (frame-ancestors included) and no-cache; hashed assets are immutable', async () => {
    const page = await fetch(`${base}/`)
    expectSecurityHeaders(page)
    expect(page.headers.get('cache-control')).toBe('no-cache')
    const csp = page.headers.get('content-security-policy')!
    expect(cspProblems(csp)).toEqual([])
    expect(parseCsp(csp).get('frame-ancestors')).toEqual(["'none'"])
    expect(parseCsp(csp).get('media-src')).toContain('blob:')
    const asset = await fetch(`${base}/assets/index-abc123.js`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expectSecurityHeaders(asset)
  })
})

describe('OpenAPI completeness and 405', () => {
  let st: TestStation
  beforeAll(async () => {
    st = await createTestStation()
  })
  afterAll(() => st.close())

  it('documents the error answers of every operation with the error shape', async () => {
    const doc = (await st.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    const ops = Object.entries(
      doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>,
    )
    expect(ops.length).toBeGreaterThan(20)
    for (const [path, byMethod] of ops) {
      for (const [method, op] of Object.entries(byMethod)) {
        for (const code of ['400', '429', '500', '503']) {
          const answer = op.responses[code]
          expect(answer, `${method} ${path} ${code}`).toBeDefined()
        }
      }
    }
    // Signed-in routes document 401/403; public ones do not.
    expect(doc.paths['/api/health'].get.responses['401']).toBeUndefined()
    const err = doc.paths['/api/cameras'].get.responses['401']
    const ref = err.content['application/json'].schema.$ref as string
    const shape = doc.components.schemas[ref.split('/').pop()!]
    expect(Object.keys(shape.properties)).toEqual(['success', 'statusCode', 'error', 'message', 'code'])
  })

  it('answers a known path asked with the wrong method with 405 and Allow', async () => {
    const admin = { authorization: `Bearer ${await st.login()}` }
    const res = await st.app.inject({ method: 'PATCH', url: '/api/health', headers: admin })
    expect(res.statusCode).toBe(405)
    expect(res.headers.allow).toContain('GET')
    expect(res.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' })
    const unknown = await st.app.inject({ method: 'GET', url: '/api/nothing-here', headers: admin })
    expect(unknown.statusCode).toBe(404)
  })
})

describe('OpenAPI documents images as images', () => {
  it('snapshot.jpg answers image/jpeg and mjpeg multipart/x-mixed-replace', async () => {
    const st = await createTestStation()
    try {
      const doc = (await st.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
      const snap = doc.paths['/api/v1/stream/{cameraId}/snapshot.jpg'].get.responses['200']
      expect(Object.keys(snap.content)).toEqual(['image/jpeg'])
      expect(snap.content['image/jpeg'].schema).toMatchObject({ type: 'string', format: 'binary' })
      const mjpeg = doc.paths['/api/v1/stream/{cameraId}/mjpeg'].get.responses['200']
      expect(Object.keys(mjpeg.content)).toEqual(['multipart/x-mixed-replace'])
    } finally {
      await st.close()
    }
  })
})

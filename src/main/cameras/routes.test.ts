import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from '../server/test-helper'
import { CamerasRepository } from './repository'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const SECRET = 'camera-secret-Zq81'

describe('cameras, areas and live endpoints', () => {
  let st: TestStation
  let admin: string
  let guard: string
  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
    guard = await st.guardToken()
  })
  afterAll(() => st.close())

  const as = (token: string) => ({
    get: (url: string) => st.app.inject({ method: 'GET', url, headers: bearer(token) }),
    post: (url: string, payload: object) =>
      st.app.inject({ method: 'POST', url, headers: bearer(token), payload }),
    put: (url: string, payload: object) =>
      st.app.inject({ method: 'PUT', url, headers: bearer(token), payload }),
    del: (url: string) => st.app.inject({ method: 'DELETE', url, headers: bearer(token) }),
  })
  const A = () => as(admin)
  const G = () => as(guard)

  it('refuses a camera on this computer or the station itself unless an admin allows it', async () => {
    for (const url of [
      'http://127.0.0.1:8080/video',
      'http://localhost/snap.jpg',
      'http://[::1]:81/video',
      `http://127.0.0.1:${st.config.port}/api/health`,
      'rtsp://127.0.0.2/stream',
    ]) {
      const res = await A().post('/api/cameras', {
        name: `Local ${url}`,
        kind: url.startsWith('rtsp') ? 'rtsp' : 'mjpeg',
        url,
      })
      expect(res.statusCode, url).toBe(400)
      expect(res.json().message).toMatch(/allowLocal/)
    }
    const allowed = await A().post('/api/cameras', {
      name: 'Encoder on this PC',
      kind: 'mjpeg',
      url: 'http://127.0.0.1:8080/video',
      allowLocal: true,
    })
    expect(allowed.statusCode).toBe(201)
    expect(allowed.json().data).toMatchObject({ allowLocal: true })
    // Changing the URL of an allowed camera keeps the permission; clearing it refuses the local URL again.
    const id = allowed.json().data.id as number
    expect((await A().put(`/api/cameras/${id}`, { url: 'http://127.0.0.1:8081/video' })).statusCode).toBe(200)
    expect((await A().put(`/api/cameras/${id}`, { allowLocal: false })).statusCode).toBe(400)
    // A guard cannot set it (cameras are admin-only to write) and never sees it.
    expect(
      (
        await G().post('/api/cameras', {
          name: 'x',
          kind: 'mjpeg',
          url: 'http://127.0.0.1/v',
          allowLocal: true,
        })
      ).statusCode,
    ).toBe(403)
    const seen = (await G().get('/api/cameras')).json().data.find((c: { id: number }) => c.id === id)
    expect(seen).not.toHaveProperty('allowLocal')
    await A().del(`/api/cameras/${id}`)
  })

  it('creates pull and push cameras and answers them without credentials', async () => {
    const mjpeg = await A().post('/api/cameras', {
      name: 'Gate',
      kind: 'mjpeg',
      url: 'http://192.168.1.20/video.mjpg',
      username: 'viewer',
      password: SECRET,
      fps: 15,
    })
    expect(mjpeg.statusCode).toBe(201)
    const cam = mjpeg.json().data
    expect(cam).toMatchObject({
      name: 'Gate',
      kind: 'mjpeg',
      url: 'http://192.168.1.20/video.mjpg',
      hasCredentials: true,
      enabled: true,
      isOnline: false,
      fps: 15,
      stayConnected: false,
      areaId: null,
    })
    expect(cam).not.toHaveProperty('password')
    expect(cam).not.toHaveProperty('username')
    expect(mjpeg.body).not.toContain(SECRET)

    const push = await A().post('/api/cameras', { name: 'Phone', kind: 'push' })
    expect(push.statusCode).toBe(201)
    expect(push.json().data).toMatchObject({ kind: 'push', url: null, hasCredentials: false })

    // The station keeps what it needs to connect.
    const stored = new CamerasRepository(st.app.db).get(cam.id)
    expect(stored).toMatchObject({ username: 'viewer', password: SECRET })
  })

  it('moves credentials out of a URL so the stored URL carries no secret', async () => {
    const res = await A().post('/api/cameras', {
      name: 'Yard',
      kind: 'rtsp',
      url: `rtsp://admin:${SECRET}@192.168.1.30:554/stream1`,
    })
    expect(res.statusCode).toBe(201)
    const cam = res.json().data
    expect(cam.url).toBe('rtsp://192.168.1.30:554/stream1')
    expect(cam.hasCredentials).toBe(true)
    expect(res.body).not.toContain(SECRET)
    expect(new CamerasRepository(st.app.db).get(cam.id)).toMatchObject({
      username: 'admin',
      password: SECRET,
    })
  })

  it('hides secrets in URL query strings and keeps them when the answered URL comes back', async () => {
    const raw = `http://192.168.1.40/snapshot.cgi?user=admin&pwd=${SECRET}&chn=1`
    const res = await A().post('/api/cameras', { name: 'Cheap cam', kind: 'snapshot', url: raw })
    expect(res.statusCode).toBe(201)
    const cam = res.json().data
    expect(res.body).not.toContain(SECRET)
    expect(cam.url).toBe('http://192.168.1.40/snapshot.cgi?user=admin&pwd=***&chn=1')
    expect(cam.hasCredentials).toBe(true)
    const repo = new CamerasRepository(st.app.db)
    // The UI sends the whole camera back with a new name: the stored secret survives.
    const renamed = await A().put(`/api/cameras/${cam.id}`, { name: 'Cheap cam 2', url: cam.url })
    expect(renamed.statusCode).toBe(200)
    expect(repo.get(cam.id)?.url).toBe(raw)
    // A really new URL replaces it.
    await A().put(`/api/cameras/${cam.id}`, { url: 'http://192.168.1.41/snapshot.cgi?pwd=other-secret' })
    expect(repo.get(cam.id)?.url).toBe('http://192.168.1.41/snapshot.cgi?pwd=other-secret')
  })

  it('refuses URLs that are not http(s) or rtsp(s), or do not fit the kind', async () => {
    const cases: [object, RegExp][] = [
      [{ kind: 'mjpeg', url: 'file:///etc/passwd' }, /scheme "file:" is not allowed/],
      [{ kind: 'snapshot', url: 'exec:/bin/sh -c reboot' }, /scheme "exec:" is not allowed/],
      [{ kind: 'mjpeg', url: 'javascript:alert(1)' }, /scheme "javascript:" is not allowed/],
      [{ kind: 'snapshot', url: 'data:image/jpeg;base64,AAAA' }, /scheme "data:" is not allowed/],
      [{ kind: 'mjpeg', url: 'ftp://192.168.1.2/x' }, /scheme "ftp:" is not allowed/],
      [{ kind: 'rtsp', url: 'FILE:///etc/shadow' }, /scheme "file:" is not allowed/],
      [{ kind: 'mjpeg', url: 'not a url' }, /not a valid absolute URL/],
      [{ kind: 'mjpeg', url: 'rtsp://192.168.1.2/s' }, /mjpeg camera needs a http: or https: url/],
      [{ kind: 'rtsp', url: 'http://192.168.1.2/s' }, /rtsp camera needs a rtsp: or rtsps: url/],
      [{ kind: 'snapshot' }, /needs a url/],
      [{ kind: 'snapshot', url: '' }, /needs a url/],
      [{ kind: 'push', url: 'http://192.168.1.2/x' }, /push camera .* takes no url/],
      [
        { kind: 'mjpeg', url: 'http://192.168.1.2/x', is_online: true },
        /is_online is managed by the station/,
      ],
      [{ kind: 'mjpeg', url: 'http://192.168.1.2/x', areaId: 9999 }, /Area 9999 does not exist/],
      [{ kind: 'webcam', url: 'http://192.168.1.2/x' }, /body/],
      [{ kind: 'mjpeg', url: 'http://192.168.1.2/x', fps: 0 }, /fps/],
      [{ kind: 'mjpeg', url: 'http://192.168.1.2/x', extra: 1 }, /additional properties/],
    ]
    const before = (await A().get('/api/cameras')).json().data.length
    for (const [body, message] of cases) {
      const res = await A().post('/api/cameras', { name: 'Bad', ...body })
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.json()).toMatchObject({ success: false, statusCode: 400, error: 'Bad Request' })
      expect(res.json().message, JSON.stringify(body)).toMatch(message)
    }
    expect((await A().get('/api/cameras')).json().data.length).toBe(before)
  })

  it('lets guards read and only admins write', async () => {
    const list = await G().get('/api/cameras')
    expect(list.statusCode).toBe(200)
    const id = list.json().data[0].id
    expect((await G().get(`/api/cameras/${id}`)).statusCode).toBe(200)
    expect((await G().post('/api/cameras', { name: 'X', kind: 'push' })).statusCode).toBe(403)
    expect((await G().put(`/api/cameras/${id}`, { name: 'X' })).statusCode).toBe(403)
    expect((await G().del(`/api/cameras/${id}`)).statusCode).toBe(403)
    expect((await st.app.inject({ method: 'GET', url: '/api/cameras' })).statusCode).toBe(401)
  })

  it('updates only the fields given; null clears credentials; kind changes are checked', async () => {
    const created = (
      await A().post('/api/cameras', {
        name: 'Dock',
        kind: 'snapshot',
        url: 'https://10.0.0.5/snap.jpg',
        password: SECRET,
      })
    ).json().data
    const url = `/api/cameras/${created.id}`
    const renamed = await A().put(url, { name: 'Dock east', enabled: false })
    expect(renamed.statusCode).toBe(200)
    expect(renamed.json().data).toMatchObject({
      name: 'Dock east',
      enabled: false,
      url: 'https://10.0.0.5/snap.jpg',
      hasCredentials: true,
    })
    expect(renamed.json().data.updatedAt).toBeGreaterThanOrEqual(created.updatedAt)
    const cleared = await A().put(url, { password: null })
    expect(cleared.json().data.hasCredentials).toBe(false)
    expect((await A().put(url, { kind: 'rtsp' })).statusCode).toBe(400)
    expect((await A().put(url, { url: 'file:///etc/passwd' })).statusCode).toBe(400)
    expect((await A().put(url, { is_online: true })).statusCode).toBe(400)
    expect((await A().put(url, {})).statusCode).toBe(400)
    const toPush = await A().put(url, { kind: 'push' })
    expect(toPush.statusCode).toBe(200)
    expect(toPush.json().data).toMatchObject({ kind: 'push', url: null })
    expect((await A().put('/api/cameras/99999', { name: 'Nope' })).statusCode).toBe(404)
    expect((await A().get('/api/cameras/99999')).statusCode).toBe(404)
    expect((await A().get('/api/cameras/abc')).statusCode).toBe(400)
  })

  it('deletes cameras', async () => {
    const id = (await A().post('/api/cameras', { name: 'Temp', kind: 'push' })).json().data.id
    const del = await A().del(`/api/cameras/${id}`)
    expect(del.statusCode).toBe(200)
    expect(del.json().data).toEqual({ deleted: true, id })
    expect((await A().get(`/api/cameras/${id}`)).statusCode).toBe(404)
    expect((await A().del(`/api/cameras/${id}`)).statusCode).toBe(404)
  })

  it('manages areas; names are unique; deleting one leaves its cameras without an area', async () => {
    const created = await A().post('/api/areas', { name: 'North gate', description: 'Trucks' })
    expect(created.statusCode).toBe(201)
    const area = created.json().data
    expect(area).toMatchObject({ name: 'North gate', description: 'Trucks' })
    expect((await A().post('/api/areas', { name: 'North gate' })).statusCode).toBe(409)
    expect((await A().post('/api/areas', { name: '   ' })).statusCode).toBe(400)
    expect((await G().post('/api/areas', { name: 'Guard area' })).statusCode).toBe(403)
    expect((await G().get('/api/areas')).json().data.map((a: { name: string }) => a.name)).toContain(
      'North gate',
    )
    expect((await G().get(`/api/areas/${area.id}`)).json().data.name).toBe('North gate')

    const other = (await A().post('/api/areas', { name: 'South' })).json().data
    expect((await A().put(`/api/areas/${other.id}`, { name: 'North gate' })).statusCode).toBe(409)
    const renamed = await A().put(`/api/areas/${other.id}`, { name: 'South yard', description: 'Containers' })
    expect(renamed.json().data).toMatchObject({ name: 'South yard', description: 'Containers' })

    const cam = (
      await A().post('/api/cameras', {
        name: 'North cam',
        kind: 'mjpeg',
        url: 'http://10.0.0.9/v',
        areaId: area.id,
      })
    ).json().data
    expect(cam.areaId).toBe(area.id)
    // Cached before the area goes, fresh after.
    expect((await G().get(`/api/cameras/${cam.id}`)).json().data.areaId).toBe(area.id)
    expect((await A().del(`/api/areas/${area.id}`)).statusCode).toBe(200)
    expect((await G().get(`/api/cameras/${cam.id}`)).json().data.areaId).toBeNull()
    expect((await A().get(`/api/areas/${area.id}`)).statusCode).toBe(404)
    expect((await A().del(`/api/areas/${area.id}`)).statusCode).toBe(404)
  })

  it('lists the station’s own live endpoints for enabled cameras, never a camera URL or secret', async () => {
    const res = await G().get('/api/stream')
    expect(res.statusCode).toBe(200)
    const entries = res.json().data as Record<string, unknown>[]
    const cams = (await A().get('/api/cameras')).json().data as {
      id: number
      enabled: boolean
      kind: string
    }[]
    expect(entries.map((e) => e.cameraId).sort()).toEqual(
      cams
        .filter((c) => c.enabled)
        .map((c) => c.id)
        .sort(),
    )
    for (const e of entries) {
      const id = e.cameraId
      expect(e).toMatchObject({
        mjpeg: `/api/v1/stream/${id}/mjpeg`,
        snapshot: `/api/v1/stream/${id}/snapshot.jpg`,
        ws: `/ws/stream/${id}`,
      })
      if (e.kind === 'push')
        expect(e.ingest).toEqual({ http: `/api/v1/stream/fast/${id}`, ws: `/ws/camera/${id}` })
      else expect(e.ingest).toBeUndefined()
      expect(e).not.toHaveProperty('url')
    }
    expect(res.body).not.toContain('192.168.')
    expect(res.body).not.toContain(SECRET)
  })

  it('never answers a camera secret on any camera route', async () => {
    for (const url of ['/api/cameras', '/api/cameras/active', '/api/stream', '/api/openapi.json']) {
      const res = await A().get(url)
      expect(res.statusCode).toBe(200)
      expect(res.body).not.toContain(SECRET)
    }
  })
})

/**
 * The camera service's views and facts: a guard never receives a camera's URL (camera lists and answers,
 * cached or not, /api/stream, the live channel), an admin does; the relay's view keeps the credentials;
 * every committed write is one fact on the domain event stream, health refreshes are none, and the relay
 * reloads only the camera that changed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestStation, type TestStation } from '../server/test-helper'
import { connectLive, type LiveClient } from '../ws/live-test-client'
import type { DomainEvent } from '../../shared/events/domain-events'

const HOST = '192.168.77.20'
const SECRET = 'pw-Secret-93xq'
const URL_WITH_SECRET = `http://${HOST}/snapshot.cgi?user=admin&pw=${SECRET}&chn=1`
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

let st: TestStation
let baseUrl: string
let admin: string
let guard: string
let camId: number
beforeAll(async () => {
  st = await createTestStation()
  baseUrl = (await st.start()).url
  admin = await st.login()
  guard = await st.guardToken()
  const res = await st.app.inject({
    method: 'POST',
    url: '/api/cameras',
    headers: bearer(admin),
    payload: {
      name: 'Loading bay',
      kind: 'snapshot',
      url: URL_WITH_SECRET,
      username: 'viewer',
      password: SECRET,
    },
  })
  expect(res.statusCode).toBe(201)
  camId = res.json().data.id
})
afterAll(() => st.close())

const get = (token: string, url: string) => st.app.inject({ method: 'GET', url, headers: bearer(token) })

describe('who sees a camera URL', () => {
  const routes = () => ['/api/cameras', '/api/cameras/active', `/api/cameras/${camId}`, '/api/stream']

  it('a guard never does, on any camera route, cached or not', async () => {
    // Twice each: the second answer is the response cache's, which keys on the caller's role.
    for (const pass of ['MISS', 'HIT']) {
      for (const url of routes()) {
        const res = await get(guard, url)
        expect(res.statusCode, url).toBe(200)
        expect(res.headers['x-cache'], `${url} ${pass}`).toBe(pass)
        expect(res.body, url).not.toContain(HOST)
        expect(res.body, url).not.toContain(SECRET)
        expect(res.body, url).not.toContain('"url"')
        expect(res.body, url).not.toContain('hasCredentials')
      }
    }
    const one = (await get(guard, `/api/cameras/${camId}`)).json().data
    expect(one).toEqual({
      id: camId,
      name: 'Loading bay',
      kind: 'snapshot',
      areaId: null,
      enabled: true,
      isOnline: false,
      lastSeenAt: null,
      confirmedAt: null,
      hasSubStream: false,
      recordingMode: 'off',
    })
  })

  it('an admin does (secrets in it masked), from the same cached routes', async () => {
    for (const url of ['/api/cameras', '/api/cameras/active', `/api/cameras/${camId}`]) {
      const res = await get(admin, url)
      expect(res.statusCode, url).toBe(200)
      expect(res.body, url).toContain(HOST)
      expect(res.body, url).not.toContain(SECRET)
    }
    const cam = (await get(admin, `/api/cameras/${camId}`)).json().data
    expect(cam).toMatchObject({
      url: `http://${HOST}/snapshot.cgi?user=admin&pw=***&chn=1`,
      hasCredentials: true,
      fps: 10,
      stayConnected: false,
      isOnline: false,
    })
    expect(cam).not.toHaveProperty('is_online')
    // The guard's cached answers were not served to the admin, nor the admin's to the guard.
    expect((await get(guard, `/api/cameras/${camId}`)).body).not.toContain(HOST)
  })

  it('the station endpoints are the same for everyone, and hold no camera URL', async () => {
    const g = (await get(guard, '/api/stream')).json().data
    const a = (await get(admin, '/api/stream')).json().data
    expect(g).toEqual(a)
    expect(g.find((e: { cameraId: number }) => e.cameraId === camId)).toEqual({
      cameraId: camId,
      name: 'Loading bay',
      kind: 'snapshot',
      online: false,
      mjpeg: `/api/v1/stream/${camId}/mjpeg`,
      snapshot: `/api/v1/stream/${camId}/snapshot.jpg`,
      ws: `/ws/stream/${camId}`,
    })
  })

  it('live: guards get the camera view, admins also the admin view', async () => {
    let g: LiveClient | undefined
    let a: LiveClient | undefined
    try {
      g = await connectLive(baseUrl, guard)
      a = await connectLive(baseUrl, admin)
      const put = await st.app.inject({
        method: 'PUT',
        url: `/api/cameras/${camId}`,
        headers: bearer(admin),
        payload: { name: 'Loading bay east' },
      })
      expect(put.statusCode).toBe(200)
      const guardStatus = await g.next('camera.status', (m) => m.camera?.name === 'Loading bay east')
      expect(guardStatus.camera).not.toHaveProperty('url')
      const adminConfig = await a.next('camera.config', (m) => m.camera.name === 'Loading bay east')
      expect(adminConfig.camera.url).toContain(HOST)
      await a.next('camera.status', (m) => m.camera?.name === 'Loading bay east')
      // Health goes out too (a relay state change): still no URL.
      st.app.domainEvents.publish({ type: 'camera.health', cameraId: camId, online: false, state: 'idle' })
      await g.next('camera.status', (m) => m.state === 'idle')
      await new Promise((r) => setTimeout(r, 100))
      expect(JSON.stringify(g.messages)).not.toContain(HOST)
      expect(g.messages.some((m) => m.type === 'camera.config')).toBe(false)
    } finally {
      await g?.close()
      await a?.close()
    }
  })

  it('the relay view keeps the credentials (and the whole URL) for the station itself', () => {
    expect(st.app.cameras.relay(camId)).toMatchObject({
      url: URL_WITH_SECRET,
      username: 'viewer',
      password: SECRET,
    })
    expect(st.app.video.channel(camId)?.cam).toMatchObject({ username: 'viewer', password: SECRET })
    // And the relay's figures, which guards may read, hold none of it.
    expect(JSON.stringify(st.app.video.stats())).not.toContain(SECRET)
    expect(JSON.stringify(st.app.video.stats())).not.toContain(HOST)
  })
})

describe('committed camera facts', () => {
  function record(): { events: DomainEvent[]; stop: () => void } {
    const events: DomainEvent[] = []
    const stop = st.app.domainEvents.onAny('test', (e) => {
      if (e.type.startsWith('camera.')) events.push(e)
    })
    return { events, stop }
  }

  it('each write is one camera.changed fact after it committed; the relay reloads that camera only', async () => {
    const r = record()
    const relayAll = vi.spyOn(st.app.cameras, 'relayAll')
    const relay = vi.spyOn(st.app.cameras, 'relay')
    try {
      const created = await st.app.inject({
        method: 'POST',
        url: '/api/cameras',
        headers: bearer(admin),
        payload: { name: 'Facts', kind: 'push' },
      })
      const id = created.json().data.id as number
      // Published before the answer: the relay already has the camera.
      expect(st.app.video.channel(id)).toBeDefined()
      await st.app.inject({ method: 'POST', url: `/api/v1/stream/${id}/push-token`, headers: bearer(admin) })
      await st.app.inject({
        method: 'PUT',
        url: `/api/cameras/${id}`,
        headers: bearer(admin),
        payload: { fps: 5 },
      })
      await st.app.inject({ method: 'DELETE', url: `/api/cameras/${id}`, headers: bearer(admin) })
      expect(
        r.events.map((e) => (e.type === 'camera.changed' ? `${e.change} ${e.cameraId}` : e.type)),
      ).toEqual([`created ${id}`, `token ${id}`, `updated ${id}`, `deleted ${id}`])
      const withCamera = r.events.filter((e) => e.type === 'camera.changed' && e.camera)
      for (const e of withCamera) expect(JSON.stringify(e)).not.toContain('password')
      expect(relayAll).not.toHaveBeenCalled()
      // created and updated reload that one camera; a token change and a deletion need no read.
      expect(relay.mock.calls).toEqual([[id], [id]])
      expect(st.app.video.channel(id)).toBeUndefined()
    } finally {
      relayAll.mockRestore()
      relay.mockRestore()
      r.stop()
    }
  })

  it('a health flip is a camera.health fact after it committed; a last-seen refresh is none', async () => {
    const id = (
      await st.app.inject({
        method: 'POST',
        url: '/api/cameras',
        headers: bearer(admin),
        payload: { name: 'Health facts', kind: 'push', enabled: false },
      })
    ).json().data.id as number
    const r = record()
    try {
      await st.app.cameras.reportHealth({ cameraId: id, online: null, lastSeenAt: 1234 })
      expect(r.events).toEqual([])
      await st.app.cameras.reportHealth({
        cameraId: id,
        online: true,
        lastSeenAt: 5678,
        status: () => ({ state: 'online', lastError: null, nextRetryAt: null }),
      })
      expect(r.events).toEqual([
        {
          type: 'camera.health',
          cameraId: id,
          online: true,
          state: 'online',
          lastError: null,
          nextRetryAt: null,
        },
      ])
      expect((await get(guard, `/api/cameras/${id}`)).json().data).toMatchObject({
        isOnline: true,
        lastSeenAt: 5678,
      })
      // A camera deleted meanwhile: its write changes nothing, so there is no fact.
      await st.app.inject({ method: 'DELETE', url: `/api/cameras/${id}`, headers: bearer(admin) })
      r.events.length = 0
      await st.app.cameras.reportHealth({ cameraId: id, online: false, lastSeenAt: null })
      expect(r.events).toEqual([])
    } finally {
      r.stop()
    }
  })

  it('refuses the station-owned isOnline under its new and its old name', async () => {
    for (const field of ['isOnline', 'is_online']) {
      const res = await st.app.inject({
        method: 'PUT',
        url: `/api/cameras/${camId}`,
        headers: bearer(admin),
        payload: { [field]: true },
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().message).toMatch(new RegExp(`${field} is managed by the station`))
    }
  })
})

/**
 * RTSP cameras' main and sub streams through the camera API: `subUrl` and `transport` are written and
 * answered to admins (the sub URL masked like `url`), guards learn only `hasSubStream` and the station's
 * own endpoints, credentials in either URL move into the camera's one set of credentials, and the relay
 * gets everything it needs to connect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from '../server/test-helper'
import { sourceKey } from '../video/camera-channel'
import { CamerasRepository } from './repository'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const SECRET = 'rtsp-Secret-4k2v'
const HOST = '192.168.50.7'
const MAIN = `rtsp://${HOST}:554/Streaming/Channels/101`
const SUB = `rtsp://${HOST}:554/Streaming/Channels/102`

let st: TestStation
let admin: string
let guard: string
let repo: CamerasRepository
beforeAll(async () => {
  st = await createTestStation()
  admin = await st.login()
  guard = await st.guardToken()
  repo = new CamerasRepository(st.app.db)
})
afterAll(() => st.close())

const as = (token: string) => ({
  get: (url: string) => st.app.inject({ method: 'GET', url, headers: bearer(token) }),
  post: (payload: object) =>
    st.app.inject({ method: 'POST', url: '/api/cameras', headers: bearer(token), payload }),
  put: (id: number, payload: object) =>
    st.app.inject({ method: 'PUT', url: `/api/cameras/${id}`, headers: bearer(token), payload }),
})
const A = () => as(admin)
const G = () => as(guard)

async function created(body: object): Promise<Record<string, unknown> & { id: number }> {
  const res = await A().post({ name: `Cam ${Math.random()}`, kind: 'rtsp', ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().data
}

function refused(res: { statusCode: number; json: () => unknown; body: string }, message: RegExp): void {
  expect(res.statusCode, res.body).toBe(400)
  expect(res.json()).toMatchObject({ success: false, statusCode: 400, error: 'Bad Request' })
  expect((res.json() as { message: string }).message).toMatch(message)
  expect(res.body).not.toContain(SECRET)
}

describe('rtsp cameras: sub stream and transport', () => {
  it('creates a camera with a sub stream and a transport; tcp and no sub stream unless given', async () => {
    const cam = await created({ url: MAIN, subUrl: SUB, transport: 'udp' })
    expect(cam).toMatchObject({ kind: 'rtsp', url: MAIN, subUrl: SUB, transport: 'udp', hasSubStream: true })
    expect(repo.get(cam.id)).toMatchObject({ url: MAIN, subUrl: SUB, transport: 'udp' })
    expect(st.app.cameras.relay(cam.id)).toMatchObject({ url: MAIN, subUrl: SUB, transport: 'udp' })

    const plain = await created({ url: MAIN })
    expect(plain).toMatchObject({ subUrl: null, transport: 'tcp', hasSubStream: false })
    const blank = await created({ url: MAIN, subUrl: '  ' })
    expect(blank).toMatchObject({ subUrl: null, hasSubStream: false })
  })

  it('updates the sub stream and the transport, keeps them when left out, removes the sub stream with null', async () => {
    const { id } = await created({ url: MAIN })
    const added = await A().put(id, { subUrl: SUB })
    expect(added.statusCode, added.body).toBe(200)
    expect(added.json().data).toMatchObject({ subUrl: SUB, transport: 'tcp', hasSubStream: true })
    const udp = await A().put(id, { transport: 'udp', name: 'Renamed' })
    expect(udp.json().data).toMatchObject({ subUrl: SUB, transport: 'udp', name: 'Renamed' })
    refused(await A().put(id, { transport: 'http' }), /transport/)
    const removed = await A().put(id, { subUrl: null })
    expect(removed.json().data).toMatchObject({ subUrl: null, transport: 'udp', hasSubStream: false })
    // A camera that stops being rtsp drops its sub stream and transport.
    await A().put(id, { subUrl: SUB })
    const mjpeg = await A().put(id, { kind: 'mjpeg', url: `http://${HOST}/video.mjpg` })
    expect(mjpeg.statusCode, mjpeg.body).toBe(200)
    expect(mjpeg.json().data).toMatchObject({
      kind: 'mjpeg',
      subUrl: null,
      transport: 'tcp',
      hasSubStream: false,
    })
  })

  it('accepts rtsps for both streams and refuses other schemes', async () => {
    const cam = await created({ url: 'rtsps://10.0.0.8:322/main', subUrl: 'rtsps://10.0.0.8:322/sub' })
    expect(cam).toMatchObject({ url: 'rtsps://10.0.0.8:322/main', subUrl: 'rtsps://10.0.0.8:322/sub' })
    refused(
      await A().post({ name: 'Bad', kind: 'rtsp', url: 'http://10.0.0.8/main' }),
      /rtsp camera needs a rtsp: or rtsps: url, not http:/,
    )
    refused(
      await A().post({ name: 'Bad', kind: 'rtsp', url: MAIN, subUrl: 'https://10.0.0.8/sub' }),
      /rtsp camera needs a rtsp: or rtsps: subUrl, not https:/,
    )
    refused(
      await A().post({ name: 'Bad', kind: 'rtsp', url: MAIN, subUrl: 'file:///etc/passwd' }),
      /subUrl scheme "file:" is not allowed/,
    )
    refused(
      await A().post({ name: 'Bad', kind: 'rtsp', url: MAIN, subUrl: 'not a url' }),
      /subUrl "not a url" is not a valid absolute URL/,
    )
    refused(
      await A().post({ name: 'Bad', kind: 'mjpeg', url: 'rtsp://10.0.0.8/main' }),
      /mjpeg camera needs a http: or https: url, not rtsp:/,
    )
    refused(
      await A().post({ name: 'Bad', kind: 'snapshot', url: 'rtsps://10.0.0.8/main' }),
      /snapshot camera needs a http: or https: url, not rtsps:/,
    )
  })

  it('refuses subUrl and transport on cameras that are not rtsp', async () => {
    const http = { url: `http://${HOST}/video.mjpg` }
    refused(
      await A().post({ name: 'Bad', kind: 'mjpeg', ...http, subUrl: SUB }),
      /subUrl is for rtsp cameras only/,
    )
    refused(
      await A().post({ name: 'Bad', kind: 'snapshot', ...http, transport: 'tcp' }),
      /transport is for rtsp cameras only/,
    )
    refused(await A().post({ name: 'Bad', kind: 'push', subUrl: SUB }), /subUrl is for rtsp cameras only/)
    const mjpeg = (await A().post({ name: 'Gate mjpeg', kind: 'mjpeg', ...http })).json().data
    refused(await A().put(mjpeg.id, { subUrl: SUB }), /subUrl is for rtsp cameras only/)
    refused(await A().put(mjpeg.id, { transport: 'udp' }), /transport is for rtsp cameras only/)
    // Saying there is none is fine.
    expect((await A().put(mjpeg.id, { subUrl: null })).statusCode).toBe(200)
  })

  it('moves credentials out of both URLs into the camera’s one set of credentials', async () => {
    const both = await created({
      url: `rtsp://admin:${SECRET}@${HOST}:554/main`,
      subUrl: `rtsp://admin:${SECRET}@${HOST}:554/sub`,
    })
    expect(both).toMatchObject({
      url: `rtsp://${HOST}:554/main`,
      subUrl: `rtsp://${HOST}:554/sub`,
      hasCredentials: true,
    })
    expect(JSON.stringify(both)).not.toContain(SECRET)
    expect(repo.get(both.id)).toMatchObject({
      url: `rtsp://${HOST}:554/main`,
      subUrl: `rtsp://${HOST}:554/sub`,
      username: 'admin',
      password: SECRET,
    })
    // Only the sub URL carries them: they become the camera's.
    const subOnly = await created({ url: MAIN, subUrl: `rtsp://viewer:${SECRET}@${HOST}/sub` })
    expect(subOnly).toMatchObject({ subUrl: `rtsp://${HOST}/sub`, hasCredentials: true })
    expect(repo.get(subOnly.id)).toMatchObject({ username: 'viewer', password: SECRET })
    // The same ones as the fields sent with them.
    const fields = await created({
      url: MAIN,
      subUrl: `rtsp://viewer:${SECRET}@${HOST}/sub`,
      username: 'viewer',
      password: SECRET,
    })
    expect(repo.get(fields.id)).toMatchObject({ username: 'viewer', password: SECRET })
    // A username alone in the sub URL names no password: the stored one stays.
    const put = await A().put(fields.id, { subUrl: `rtsp://viewer@${HOST}/sub2` })
    expect(put.statusCode, put.body).toBe(200)
    expect(repo.get(fields.id)).toMatchObject({
      subUrl: `rtsp://${HOST}/sub2`,
      username: 'viewer',
      password: SECRET,
    })
  })

  it('refuses a sub URL whose credentials differ from the main URL’s or the fields’', async () => {
    const before = (await A().get('/api/cameras')).json().data.length
    refused(
      await A().post({
        name: 'Two logins',
        kind: 'rtsp',
        url: `rtsp://admin:${SECRET}@${HOST}/main`,
        subUrl: `rtsp://admin:other-${SECRET}@${HOST}/sub`,
      }),
      /subUrl's password differs from the url: a camera has one set of credentials/,
    )
    refused(
      await A().post({
        name: 'Two users',
        kind: 'rtsp',
        url: MAIN,
        subUrl: `rtsp://operator:${SECRET}@${HOST}/sub`,
        username: 'admin',
      }),
      /subUrl's username differs from the username field/,
    )
    const { id } = await created({ url: MAIN, username: 'admin', password: SECRET })
    refused(
      await A().put(id, { subUrl: `rtsp://admin:wrong@${HOST}/sub`, password: SECRET }),
      /subUrl's password differs from the password field/,
    )
    expect((await A().get('/api/cameras')).json().data.length).toBe(before + 1)
    expect(repo.get(id)).toMatchObject({ subUrl: null, password: SECRET })
  })

  it('masks secrets in the sub URL for admins and keeps the stored one when the answer comes back', async () => {
    const raw = `rtsp://${HOST}/sub?channel=2&token=${SECRET}`
    const cam = await created({ url: MAIN, subUrl: raw })
    expect(cam.subUrl).toBe(`rtsp://${HOST}/sub?channel=2&token=***`)
    expect(cam.hasCredentials).toBe(true)
    const back = await A().put(cam.id, { name: 'Sent back', url: cam.url, subUrl: cam.subUrl })
    expect(back.statusCode, back.body).toBe(200)
    expect(repo.get(cam.id)?.subUrl).toBe(raw)
    for (const url of ['/api/cameras', `/api/cameras/${cam.id}`, '/api/stream']) {
      expect((await A().get(url)).body, url).not.toContain(SECRET)
    }
  })

  it('refuses a sub URL on this computer unless allowLocal is set', async () => {
    refused(
      await A().post({ name: 'Local', kind: 'rtsp', url: MAIN, subUrl: 'rtsp://127.0.0.1:8554/cam1/sub' }),
      /The subUrl points at this computer: set allowLocal/,
    )
    refused(
      await A().post({ name: 'Local', kind: 'rtsp', url: MAIN, subUrl: 'rtsps://localhost/sub' }),
      /subUrl points at this computer/,
    )
    const cam = await created({ url: MAIN, subUrl: 'rtsp://127.0.0.1:8554/cam1/sub', allowLocal: true })
    expect(cam).toMatchObject({ allowLocal: true, subUrl: 'rtsp://127.0.0.1:8554/cam1/sub' })
    refused(await A().put(cam.id, { allowLocal: false }), /subUrl points at this computer/)
  })

  it('tells guards whether there is a sub stream, never a URL, and lists the station’s fMP4 endpoints', async () => {
    const withSub = await created({ url: `rtsp://u:${SECRET}@${HOST}/m`, subUrl: SUB })
    const mainOnly = await created({ url: MAIN, transport: 'udp' })
    for (const pass of ['MISS', 'HIT']) {
      for (const url of [
        '/api/cameras',
        '/api/cameras/active',
        `/api/cameras/${withSub.id}`,
        '/api/stream',
      ]) {
        const res = await G().get(url)
        expect(res.statusCode, url).toBe(200)
        expect(res.headers['x-cache'], `${url} ${pass}`).toBe(pass)
        for (const hidden of [HOST, SECRET, 'rtsp://', '"url"', '"subUrl"', '"transport"', 'udp']) {
          expect(res.body, `${url} ${hidden}`).not.toContain(hidden)
        }
      }
    }
    const one = (await G().get(`/api/cameras/${withSub.id}`)).json().data
    expect(one).toEqual({
      id: withSub.id,
      name: withSub.name,
      kind: 'rtsp',
      areaId: null,
      enabled: true,
      isOnline: false,
      lastSeenAt: null,
      confirmedAt: null,
      hasSubStream: true,
      recordingMode: 'off',
    })
    const list = (await G().get('/api/cameras')).json().data as { id: number; hasSubStream: boolean }[]
    expect(list.find((c) => c.id === mainOnly.id)?.hasSubStream).toBe(false)

    const streams = (await G().get('/api/stream')).json().data as Record<string, unknown>[]
    const s = (id: number) => streams.find((e) => e.cameraId === id)
    expect(s(withSub.id)).toMatchObject({
      liveMp4: `/api/v1/stream/${withSub.id}/live.mp4`,
      wsMain: `/ws/stream/${withSub.id}?stream=main`,
      wsSub: `/ws/stream/${withSub.id}?stream=sub`,
    })
    expect(s(mainOnly.id)).toMatchObject({
      liveMp4: `/api/v1/stream/${mainOnly.id}/live.mp4`,
      wsMain: `/ws/stream/${mainOnly.id}?stream=main`,
    })
    expect(s(mainOnly.id)).not.toHaveProperty('wsSub')
    for (const e of streams.filter((e) => e.kind !== 'rtsp')) {
      for (const k of ['liveMp4', 'wsMain', 'wsSub']) expect(e, String(e.kind)).not.toHaveProperty(k)
    }
  })

  it('restarts the relay’s source when the sub stream or the transport changes', async () => {
    const { id } = await created({ url: MAIN, subUrl: SUB })
    const before = sourceKey(st.app.cameras.relay(id)!)
    await A().put(id, { transport: 'udp' })
    const udp = sourceKey(st.app.cameras.relay(id)!)
    expect(udp).not.toBe(before)
    await A().put(id, { subUrl: `${SUB}?profile=2` })
    expect(sourceKey(st.app.cameras.relay(id)!)).not.toBe(udp)
  })
})

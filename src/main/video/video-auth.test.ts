/**
 * Who may watch and who may push: every viewer endpoint needs a signed-in user (Bearer session or a
 * short-lived stream token in ?token=); push endpoints need the site key or the camera's own token. Bad
 * input gets a clear error and does not disturb other cameras.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  mjpegViewer,
  request,
  startVideoStation,
  testFrame,
  waitFor,
  wsClient,
  TEST_DEVICE_KEY,
  type VideoStation,
} from './test-support'

let s: VideoStation
let pushId: number
let otherId: number
let pullId: number
beforeAll(async () => {
  s = await startVideoStation({
    STATION_VIDEO_MAX_FRAME_BYTES: '65536',
    STATION_VIDEO_STREAM_TOKEN_TTL_MS: '1500',
  })
  pushId = await s.createCamera({ name: 'Front', kind: 'push' })
  otherId = await s.createCamera({ name: 'Back', kind: 'push' })
  pullId = await s.createCamera({ name: 'Pulled', kind: 'mjpeg', url: 'http://127.0.0.1:9/mjpeg' })
  await s.push(pushId, testFrame(1))
})
afterAll(async () => {
  await s.station.close()
})

const ws = (path: string) => `${s.url.replace('http', 'ws')}${path}`
const bearer = (t: string) => ({ authorization: `Bearer ${t}` })

/** Opens each viewer endpoint with these headers / query and answers the status codes. */
async function viewerStatuses(headers: Record<string, string>, query = ''): Promise<number[]> {
  const mjpeg = await mjpegViewer(`${s.url}/api/v1/stream/${pushId}/mjpeg${query}`, { headers })
  mjpeg.close()
  const snap = await request(`${s.url}/api/v1/stream/${pushId}/snapshot.jpg${query}`, 'GET', headers)
  const socket = await wsClient(ws(`/ws/stream/${pushId}${query}`), { headers })
  socket.close()
  return [mjpeg.status, snap.status, socket.status]
}

async function streamToken(session: string, body?: Record<string, unknown>): Promise<string> {
  const res = await request(
    `${s.url}/api/v1/stream/token`,
    'POST',
    { ...bearer(session), 'content-type': 'application/json' },
    Buffer.from(JSON.stringify(body ?? {})),
  )
  expect(res.status).toBe(200)
  return (JSON.parse(res.body) as { data: { token: string } }).data.token
}

describe('viewer endpoints', () => {
  it('refuse anyone not signed in, and devices', async () => {
    expect(await viewerStatuses({})).toEqual([401, 401, 401])
    expect(await viewerStatuses({ 'x-device-key': TEST_DEVICE_KEY })).toEqual([403, 403, 403])
    expect(await viewerStatuses(bearer('not-a-session'))).toEqual([401, 401, 401])
    expect(await viewerStatuses({}, '?token=made-up-token')).toEqual([401, 401, 401])
    for (const path of ['/api/v1/stream/stats']) {
      expect((await request(`${s.url}${path}`, 'GET', {})).status).toBe(401)
      expect((await request(`${s.url}${path}`, 'GET', { 'x-device-key': TEST_DEVICE_KEY })).status).toBe(403)
    }
    expect((await request(`${s.url}/api/v1/stream/token`, 'POST', {})).status).toBe(401)
  })

  it('serve guards and admins with a Bearer session', async () => {
    expect(await viewerStatuses(bearer(s.guard))).toEqual([200, 200, 101])
    expect(await viewerStatuses(bearer(s.admin))).toEqual([200, 200, 101])
    const st = await request(`${s.url}/api/v1/stream/stats`, 'GET', bearer(s.guard))
    expect(st.status).toBe(200)
    expect(JSON.parse(st.body).data.cameras.length).toBeGreaterThanOrEqual(3)
  })

  it('accept a stream token in ?token= (for <img>), only on viewer endpoints and only for a while', async () => {
    const token = await streamToken(s.guard)
    expect(await viewerStatuses({}, `?token=${token}`)).toEqual([200, 200, 101])
    // Viewing only: the token opens nothing else.
    expect((await request(`${s.url}/api/cameras?token=${token}`, 'GET', {})).status).toBe(401)
    expect((await request(`${s.url}/api/v1/stream/stats?token=${token}`, 'GET', {})).status).toBe(401)
    // A token for one camera opens that camera only.
    const scoped = await streamToken(s.guard, { cameraId: otherId })
    expect(
      (await request(`${s.url}/api/v1/stream/${pushId}/snapshot.jpg?token=${scoped}`, 'GET', {})).status,
    ).toBe(401)
    const v = await mjpegViewer(`${s.url}/api/v1/stream/${otherId}/mjpeg?token=${scoped}`)
    expect(v.status).toBe(200)
    // An open stream outlives the token; a new viewer cannot use it after it expired.
    await new Promise((r) => setTimeout(r, 1600))
    expect(v.closed).toBe(false)
    v.close()
    expect(await viewerStatuses({}, `?token=${token}`)).toEqual([401, 401, 401])
  })

  it('stream tokens die with the session that asked for them', async () => {
    const session = await s.station.login()
    const token = await streamToken(session)
    expect(
      (await request(`${s.url}/api/v1/stream/${pushId}/snapshot.jpg?token=${token}`, 'GET', {})).status,
    ).toBe(200)
    const out = await request(`${s.url}/api/auth/logout`, 'POST', bearer(session))
    expect(out.status).toBeLessThan(300)
    expect(
      (await request(`${s.url}/api/v1/stream/${pushId}/snapshot.jpg?token=${token}`, 'GET', {})).status,
    ).toBe(401)
  })

  it('open viewers end the moment the session behind them signs out', async () => {
    const session = await s.station.login()
    const token = await streamToken(session)
    const mjpeg = await mjpegViewer(`${s.url}/api/v1/stream/${pushId}/mjpeg?token=${token}`, { headers: {} })
    const socket = await wsClient(ws(`/ws/stream/${pushId}`), { headers: bearer(session) })
    expect([mjpeg.status, socket.status]).toEqual([200, 101])
    const wsClosed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)))
    await request(`${s.url}/api/auth/logout`, 'POST', bearer(session))
    expect(await wsClosed).toBe(4401)
    await waitFor(() => mjpeg.closed, 'the MJPEG viewer to end')
  })

  it('answer clear errors for unknown and malformed camera ids', async () => {
    const unknown = await request(`${s.url}/api/v1/stream/9999/snapshot.jpg`, 'GET', bearer(s.guard))
    expect(unknown.status).toBe(404)
    expect(JSON.parse(unknown.body)).toMatchObject({ success: false, code: 'UNKNOWN_CAMERA' })
    expect((await request(`${s.url}/api/v1/stream/abc/mjpeg`, 'GET', bearer(s.guard))).status).toBe(400)
    expect((await wsClient(ws('/ws/stream/9999'), { headers: bearer(s.guard) })).status).toBe(404)
    // A pull camera that cannot be reached: no frame, a clear 503 with the reason.
    const snap = await request(`${s.url}/api/v1/stream/${pullId}/snapshot.jpg`, 'GET', bearer(s.guard))
    expect(snap.status).toBe(503)
    expect(JSON.parse(snap.body)).toMatchObject({
      code: 'NO_FRAME',
      message: expect.stringMatching(/connection refused/),
    })
  })
})

describe('push endpoints', () => {
  it('need the site key or the camera token, and refuse sessions', async () => {
    const f = testFrame(2)
    expect((await s.push(pushId, f, {})).status).toBe(401)
    const wrong = await s.push(pushId, f, { 'x-device-key': 'wrong-key-wrong-key' })
    expect(wrong.status).toBe(401)
    expect(JSON.parse(wrong.body)).toMatchObject({ code: 'BAD_DEVICE_KEY' })
    expect((await s.push(pushId, f, bearer(s.guard))).status).toBe(403)
    expect((await wsClient(ws(`/ws/camera/${pushId}`))).status).toBe(401)
    expect(
      (await wsClient(ws(`/ws/camera/${pushId}`), { headers: { 'x-device-key': 'nope-nope-nope-nope' } }))
        .status,
    ).toBe(401)

    // A camera token, issued by an admin, works for its own camera only, until revoked.
    const issue = await request(`${s.url}/api/v1/stream/${pushId}/push-token`, 'POST', bearer(s.guard))
    expect(issue.status).toBe(403)
    const res = await request(`${s.url}/api/v1/stream/${pushId}/push-token`, 'POST', bearer(s.admin))
    const camToken = (JSON.parse(res.body) as { data: { token: string } }).data.token
    expect((await s.push(pushId, f, bearer(camToken))).status).toBe(200)
    expect((await s.push(otherId, f, bearer(camToken))).status).toBe(401)
    const camWs = await wsClient(ws(`/ws/camera/${pushId}`), { headers: bearer(camToken) })
    expect(camWs.status).toBe(101)
    camWs.close()
    expect(
      (await request(`${s.url}/api/v1/stream/${pushId}/push-token`, 'DELETE', bearer(s.admin))).status,
    ).toBe(200)
    expect((await s.push(pushId, f, bearer(camToken))).status).toBe(401)
    // The camera token is not a session: it opens no viewer.
    expect(
      (await request(`${s.url}/api/v1/stream/${pushId}/snapshot.jpg`, 'GET', bearer(camToken))).status,
    ).toBe(401)
  })

  it("refuse a sensor's device token: only the site key or the camera's own token feeds a camera", async () => {
    await request(
      `${s.url}/api/v1/ingest/sensor-data`,
      'POST',
      {
        'x-device-key': TEST_DEVICE_KEY,
        'content-type': 'application/json',
      },
      Buffer.from(JSON.stringify({ readings: [{ deviceId: 'esp32-01', sensor: 't', value: 1 }] })),
    )
    const issued = await request(`${s.url}/api/v1/devices/esp32-01/token`, 'POST', bearer(s.admin))
    expect(issued.status).toBe(200)
    const deviceToken = (JSON.parse(issued.body) as { data: { token: string } }).data.token
    const res = await s.push(pushId, testFrame(3), bearer(deviceToken))
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body).message).toMatch(/device token cannot feed a camera/)
    expect((await wsClient(ws(`/ws/camera/${pushId}`), { headers: bearer(deviceToken) })).status).toBe(403)
  })

  it('close a camera socket the moment its push token is replaced', async () => {
    const issue = await request(`${s.url}/api/v1/stream/${otherId}/push-token`, 'POST', bearer(s.admin))
    const camToken = (JSON.parse(issue.body) as { data: { token: string } }).data.token
    const camWs = await wsClient(ws(`/ws/camera/${otherId}`), { headers: bearer(camToken) })
    expect(camWs.status).toBe(101)
    const closed = new Promise<number>((resolve) => camWs.ws.once('close', (code) => resolve(code)))
    await request(`${s.url}/api/v1/stream/${otherId}/push-token`, 'POST', bearer(s.admin))
    expect(await closed).toBe(4401)
  })

  it('answer bad frames clearly, and other cameras and viewers carry on', async () => {
    const viewer = await wsClient(ws(`/ws/stream/${otherId}`), { headers: bearer(s.guard) })
    const bad: [string, Promise<{ status: number; body: string }>, number, string][] = [
      ['not a JPEG', s.push(pushId, Buffer.from('<html>hello</html>'.repeat(20))), 400, 'BAD_FRAME'],
      ['truncated', s.push(pushId, testFrame(3).subarray(0, 1500)), 400, 'BAD_FRAME'],
      ['over the limit', s.push(pushId, testFrame(4, 70_000)), 413, ''],
      ['unknown camera', s.push(9999, testFrame(5)), 404, 'UNKNOWN_CAMERA'],
      ['pull camera', s.push(pullId, testFrame(6)), 409, 'NOT_A_PUSH_CAMERA'],
      [
        'wrong type',
        request(
          `${s.url}/api/v1/stream/fast/${pushId}`,
          'POST',
          { 'x-device-key': TEST_DEVICE_KEY, 'content-type': 'image/png' },
          testFrame(7),
        ),
        415,
        '',
      ],
      ['empty', s.push(pushId, Buffer.alloc(0)), 400, ''],
    ]
    for (const [what, p, status, code] of bad) {
      const res = await p
      expect(res.status, what).toBe(status)
      const body = JSON.parse(res.body) as { success: boolean; message: string; code?: string }
      expect(body.success, what).toBe(false)
      expect(body.message.length, what).toBeGreaterThan(0)
      if (code) expect(body.code, what).toBe(code)
    }
    for (let i = 10; i < 15; i++) expect((await s.push(otherId, testFrame(i))).status).toBe(200)
    await waitFor(() => viewer.frames.length === 5, 'the other camera goes on')
    viewer.close()
  })
})

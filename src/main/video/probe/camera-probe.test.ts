/**
 * Pull cameras nobody watches are checked now and then against real simulated cameras on loopback: an
 * MJPEG camera (with Digest credentials), a snapshot camera and an RTSP camera (Digest) come online with
 * a confirmation time without any viewer, and go offline with the reason once killed, still unwatched;
 * neither the logs nor the events nor the lists ever hold the credentials.
 */
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, startVideoStation, waitFor, type VideoStation } from '../test-support'
import { SimCameraServer } from '../sim/camera-server'
import { startTestCamera, type TestCamera } from '../ffmpeg/test-rtsp-camera'

const SECRET = 'Pr0be-Sekr3t-9'
const logLines: string[] = []
let s: VideoStation
const servers: SimCameraServer[] = []
let rtsp: TestCamera | undefined

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString())
      done()
    },
  })
  s = await startVideoStation(
    {
      STATION_VIDEO_PROBE_MS: '1000',
      STATION_VIDEO_CONNECT_TIMEOUT_MS: '1000',
      STATION_VIDEO_OFFLINE_MS: '1500',
      STATION_VIDEO_IDLE_LINGER_MS: '0',
    },
    { logger: { level: 'debug', stream: sink } },
  )
}, 60_000)
afterAll(async () => {
  await Promise.all(servers.map((c) => c.stop()))
  await rtsp?.close()
  await s.station.close()
})

const row = (id: number) =>
  s.station.app.db.prepare('SELECT is_online, last_seen_at FROM cameras WHERE id = ?').get(id) as {
    is_online: number
    last_seen_at: number | null
  }
const stats = (id: number) => s.station.app.video.stats().cameras.find((c) => c.id === id)!
async function listed(id: number): Promise<{ isOnline: boolean; confirmedAt: number | null }> {
  const res = await request(`${s.url}/api/cameras`, 'GET', { authorization: `Bearer ${s.admin}` })
  expect(res.body).not.toContain(SECRET)
  const cams = (
    JSON.parse(res.body) as { data: { id: number; isOnline: boolean; confirmedAt: number | null }[] }
  ).data
  return cams.find((c) => c.id === id)!
}
function noSecretAnywhere(): void {
  expect(logLines.join('')).not.toContain(SECRET)
  const events = s.station.app.db.prepare('SELECT message FROM events').all() as { message: string }[]
  expect(events.map((e) => e.message).join('\n')).not.toContain(SECRET)
}

describe('unwatched pull cameras are checked', () => {
  it('an MJPEG camera is confirmed without a viewer, and goes offline with the reason once killed', async () => {
    const cam = await new SimCameraServer({
      fps: 5,
      auth: { scheme: 'digest', username: 'viewer', password: SECRET },
    }).start()
    servers.push(cam)
    const before = Date.now()
    const id = await s.createCamera({
      name: 'Back door',
      kind: 'mjpeg',
      url: `http://viewer:${encodeURIComponent(SECRET)}@127.0.0.1:${cam.port}/mjpeg`,
      allowLocal: true,
    })
    await waitFor(() => row(id).is_online === 1, 'online after a check')
    expect(stats(id)).toMatchObject({ state: 'idle', online: true, viewers: { total: 0 } })
    expect(cam.activeStreams).toBe(0) // a check reads the headers only
    const first = await listed(id)
    expect(first.isOnline).toBe(true)
    expect(first.confirmedAt).toBeGreaterThanOrEqual(before)
    // Checked again: the confirmation moves on while nobody watches.
    const t1 = first.confirmedAt!
    await waitFor(() => (row(id).last_seen_at ?? 0) > t1, 'a later confirmation written')

    await cam.stop()
    await waitFor(() => row(id).is_online === 0, 'offline after a failed check')
    expect(stats(id).state).toBe('idle')
    expect((await listed(id)).isOnline).toBe(false)
    const events = await s.eventsIncluding(id, ['camera.online', 'camera.offline'])
    expect(events.at(-1)!.message).toMatch(/Back door.*offline.*check failed: connection refused/)

    await cam.start()
    await waitFor(() => row(id).is_online === 1, 'online again once it answers')
    noSecretAnywhere()
  })

  it('a snapshot camera is checked with one JPEG', async () => {
    const cam = await new SimCameraServer({ fps: 5 }).start()
    servers.push(cam)
    const id = await s.createCamera({
      name: 'Yard',
      kind: 'snapshot',
      url: `${cam.url}/snapshot.jpg`,
      allowLocal: true,
    })
    await waitFor(() => row(id).is_online === 1, 'online after a check')
    expect(stats(id).confirmedAt).toBeGreaterThan(0)
    await cam.stop()
    await waitFor(() => row(id).is_online === 0, 'offline after a failed check')
  })

  it('an RTSP camera is checked with a DESCRIBE (Digest answered), no ffmpeg run', async () => {
    rtsp = await startTestCamera({
      auth: { scheme: 'digest', username: 'viewer', password: SECRET },
      media: { kind: 'dummy', fps: 5, frames: 1000, size: () => 100 },
    })
    const id = await s.createCamera({
      name: 'Loading bay',
      kind: 'rtsp',
      url: rtsp.url,
      username: 'viewer',
      password: SECRET,
      allowLocal: true,
    })
    await waitFor(() => row(id).is_online === 1, 'online after a check')
    const methods = rtsp.requests.map((r) => r.method)
    expect(methods).toContain('DESCRIBE')
    expect(methods).not.toContain('PLAY')
    expect(rtsp.requests.some((r) => r.method === 'DESCRIBE' && r.authorized)).toBe(true)
    expect(stats(id)).toMatchObject({ state: 'idle', connections: 0 })
    await rtsp.close()
    rtsp = undefined
    await waitFor(() => row(id).is_online === 0, 'offline after a failed check')
    noSecretAnywhere()
  })
})

/**
 * Pull cameras against simulated cameras on loopback: one connection per camera whatever the number of
 * viewers, none when nobody watches, MJPEG with and without Content-Length, snapshot polling, Basic and
 * Digest credentials, byte-for-byte frames, and cameras that answer garbage, hang or refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mjpegViewer, request, startVideoStation, waitFor, wsClient, type VideoStation } from './test-support'
import { SimCameraServer } from './sim/camera-server'
import { readComment } from './jpeg'
import type { LiveMessage } from '../../shared/schemas/live'

let s: VideoStation
const servers: SimCameraServer[] = []
beforeAll(async () => {
  s = await startVideoStation({
    STATION_VIDEO_OFFLINE_MS: '1500',
    STATION_VIDEO_BACKOFF_MIN_MS: '100',
    STATION_VIDEO_BACKOFF_MAX_MS: '800',
    STATION_VIDEO_CONNECT_TIMEOUT_MS: '1000',
    STATION_VIDEO_IDLE_LINGER_MS: '200',
    // These tests count the connections viewers make: no health checks (probe/camera-probe.test.ts).
    STATION_VIDEO_PROBE_MS: '0',
  })
})
afterAll(async () => {
  await Promise.all(servers.map((c) => c.stop()))
  await s.station.close()
})

async function camera(opts: ConstructorParameters<typeof SimCameraServer>[0] = {}): Promise<SimCameraServer> {
  const c = await new SimCameraServer({ fps: 20, ...opts }).start()
  servers.push(c)
  return c
}

const auth = () => ({ authorization: `Bearer ${s.guard}` })
const stats = (id: number) => s.station.app.video.stats().cameras.find((c) => c.id === id)!
/** The frame the simulated camera sent with the seq written in this frame's COM segment. */
function original(cam: SimCameraServer, frame: Buffer): Buffer | undefined {
  const seq = Number(/seq=(\d+)/.exec(readComment(frame) ?? '')?.[1])
  return cam.sent.get(seq)
}

describe('MJPEG cameras', () => {
  it('holds exactly one connection for 10 viewers, relays byte for byte, and lets go when nobody watches', async () => {
    const cam = await camera({ label: 'MJPEG ONE' })
    const id = await s.createCamera({ name: 'Hall', kind: 'mjpeg', url: `${cam.url}/mjpeg`, fps: 20 })
    expect(cam.totalConnections).toBe(0) // nobody watches yet
    expect(stats(id).state).toBe('idle')
    const viewers = await Promise.all([
      ...Array.from({ length: 5 }, () =>
        mjpegViewer(`${s.url}/api/v1/stream/${id}/mjpeg`, { headers: auth() }),
      ),
      ...Array.from({ length: 5 }, () =>
        wsClient(`${s.url.replace('http', 'ws')}/ws/stream/${id}`, { headers: auth() }),
      ),
    ])
    await waitFor(() => viewers.every((v) => v.frames.length >= 10), 'ten frames for every viewer')
    expect(cam.openConnections).toBe(1)
    expect(cam.totalConnections).toBe(1)
    expect(cam.activeStreams).toBe(1)
    expect(stats(id)).toMatchObject({ state: 'online', connections: 1, viewers: { total: 10 } })
    for (const v of viewers) {
      for (const f of v.frames.slice(-5)) expect(original(cam, f)?.equals(f)).toBe(true)
    }
    for (const v of viewers) v.close()
    await waitFor(() => cam.activeStreams === 0 && cam.openConnections === 0, 'the camera connection closed')
    expect(stats(id).state).toBe('idle')
  })

  it('parses parts without Content-Length, and answers Digest credentials', async () => {
    const cam = await camera({
      partContentLength: false,
      auth: { scheme: 'digest', username: 'cam', password: 's3cret' },
    })
    const id = await s.createCamera({
      name: 'Digest',
      kind: 'mjpeg',
      url: `${cam.url}/mjpeg`,
      username: 'cam',
      password: 's3cret',
    })
    const v = await mjpegViewer(`${s.url}/api/v1/stream/${id}/mjpeg`, { headers: auth() })
    await waitFor(() => v.frames.length >= 5, 'five frames')
    for (const f of v.frames) expect(original(cam, f)?.equals(f)).toBe(true)
    expect(cam.unauthorized).toBe(1) // one challenge, then the answer
    // Credentials never leave the station: not in the camera list, not in the stats.
    const list = await request(`${s.url}/api/cameras`, 'GET', { authorization: `Bearer ${s.admin}` })
    expect(list.body).not.toContain('s3cret')
    expect(JSON.stringify(s.station.app.video.stats())).not.toContain('s3cret')
    v.close()
  })

  it('follows a change of URL without dropping its viewers', async () => {
    const first = await camera({ label: 'FIRST' })
    const second = await camera({ label: 'SECOND' })
    const id = await s.createCamera({ name: 'Moved', kind: 'mjpeg', url: `${first.url}/mjpeg` })
    const v = await wsClient(`${s.url.replace('http', 'ws')}/ws/stream/${id}`, { headers: auth() })
    await waitFor(() => v.frames.length >= 3, 'frames from the first camera')
    await s.updateCamera(id, { url: `${second.url}/mjpeg` })
    await waitFor(
      () => v.frames.some((f) => /cam=SECOND/.test(readComment(f) ?? '')),
      'frames from the second',
    )
    await waitFor(() => first.openConnections === 0, 'the first camera let go')
    expect(second.openConnections).toBe(1)
    expect(v.closed).toBe(false)
    v.close()
  })

  it('reports wrong credentials as the camera state', async () => {
    const cam = await camera({ auth: { scheme: 'basic', username: 'cam', password: 'right' } })
    const id = await s.createCamera({
      name: 'Wrong',
      kind: 'mjpeg',
      url: `${cam.url}/mjpeg`,
      username: 'cam',
      password: 'wrong',
    })
    const v = await wsClient(`${s.url.replace('http', 'ws')}/ws/stream/${id}`, { headers: auth() })
    await waitFor(() => stats(id).lastError !== null, 'an error')
    expect(stats(id)).toMatchObject({ state: 'offline', lastError: expect.stringMatching(/credentials/) })
    expect(stats(id).nextRetryAt).toBeGreaterThan(Date.now() - 1000)
    // The viewer was told, in a status message.
    await waitFor(() => v.texts.some((t) => /credentials/.test(t)), 'a status message')
    v.close()
  })
})

describe('snapshot cameras', () => {
  it('polls at the camera fps over one connection, with Basic credentials', async () => {
    const cam = await camera({ auth: { scheme: 'basic', username: 'u', password: 'p' } })
    const id = await s.createCamera({
      name: 'Still',
      kind: 'snapshot',
      url: `http://u:p@127.0.0.1:${cam.port}/snapshot.jpg`,
      fps: 10,
    })
    const viewers = await Promise.all(
      Array.from({ length: 3 }, () => mjpegViewer(`${s.url}/api/v1/stream/${id}/mjpeg`, { headers: auth() })),
    )
    await waitFor(() => viewers.every((v) => v.frames.length >= 5), 'five frames each')
    expect(cam.totalConnections).toBe(1) // kept alive between polls
    for (const f of viewers[0]!.frames) expect(original(cam, f)?.equals(f)).toBe(true)
    const snap = await request(`${s.url}/api/v1/stream/${id}/snapshot.jpg`, 'GET', auth())
    expect(snap.status).toBe(200)
    expect(original(cam, snap.raw)?.equals(snap.raw)).toBe(true)
    for (const v of viewers) v.close()
  })

  it('answers a snapshot of an idle camera by connecting for it', async () => {
    const cam = await camera()
    const id = await s.createCamera({
      name: 'Idle',
      kind: 'snapshot',
      url: `${cam.url}/snapshot.jpg`,
      fps: 2,
    })
    expect(stats(id).state).toBe('idle')
    const snap = await request(`${s.url}/api/v1/stream/${id}/snapshot.jpg`, 'GET', auth())
    expect(snap.status).toBe(200)
    expect(original(cam, snap.raw)?.equals(snap.raw)).toBe(true)
    await waitFor(() => stats(id).state === 'idle', 'idle again after the linger')
  })
})

describe('misbehaving cameras do not affect others', () => {
  it('garbage, a non-MJPEG answer, a hang and a truncated frame each give a clear state', async () => {
    const good = await camera({ label: 'GOOD' })
    const goodId = await s.createCamera({ name: 'Good', kind: 'mjpeg', url: `${good.url}/mjpeg` })
    const goodViewer = await mjpegViewer(`${s.url}/api/v1/stream/${goodId}/mjpeg`, { headers: auth() })

    const cases = [
      { behaviour: 'garbage', kind: 'mjpeg', expect: /no valid frame|garbage/ },
      { behaviour: 'not-multipart', kind: 'mjpeg', expect: /not an MJPEG stream/ },
      { behaviour: 'hang', kind: 'mjpeg', expect: /did not answer/ },
      { behaviour: 'hang-after-headers', kind: 'mjpeg', expect: /no valid frame/ },
      { behaviour: 'truncated', kind: 'snapshot', expect: /truncated JPEG/ },
      { behaviour: 'garbage', kind: 'snapshot', expect: /not a JPEG/ },
    ] as const
    const ids: number[] = []
    const bad: Awaited<ReturnType<typeof wsClient>>[] = []
    for (const [i, c] of cases.entries()) {
      const cam = await camera({ behaviour: c.behaviour })
      const path = c.kind === 'mjpeg' ? '/mjpeg' : '/snapshot.jpg'
      const id = await s.createCamera({
        name: `Bad ${i}`,
        kind: c.kind,
        url: `${cam.url}${path}`,
        stayConnected: true,
      })
      ids.push(id)
      bad.push(await wsClient(`${s.url.replace('http', 'ws')}/ws/stream/${id}`, { headers: auth() }))
    }
    for (const [i, c] of cases.entries()) {
      await waitFor(
        () => c.expect.test(stats(ids[i]!).lastError ?? ''),
        `${c.behaviour} ${c.kind}: ${stats(ids[i]!).lastError}`,
      )
      expect(['offline', 'connecting']).toContain(stats(ids[i]!).state)
      expect(bad[i]!.frames).toHaveLength(0)
    }
    // Meanwhile the good camera kept flowing.
    const before = goodViewer.frames.length
    await waitFor(() => goodViewer.frames.length > before + 5, 'the good camera keeps going')
    expect(stats(goodId).state).toBe('online')
    goodViewer.close()
    for (const b of bad) b.close()
  })

  it('refuses MJPEG for a camera that sends video, saying where to watch it', async () => {
    const id = await s.createCamera({ name: 'Rtsp', kind: 'rtsp', url: 'rtsp://127.0.0.1:554/stream' })
    const res = await request(`${s.url}/api/v1/stream/${id}/mjpeg`, 'GET', auth())
    expect(res.status).toBe(409)
    expect(JSON.parse(res.body)).toMatchObject({
      success: false,
      code: 'CAMERA_UNAVAILABLE',
      message: expect.stringContaining(`/api/v1/stream/${id}/live.mp4`),
    })
  })
})

describe('health', () => {
  it('goes offline when the camera dies, retries with backoff, and comes back online', async () => {
    const cam = await camera({ label: 'FLAKY' })
    const id = await s.createCamera({
      name: 'Flaky',
      kind: 'mjpeg',
      url: `${cam.url}/mjpeg`,
      stayConnected: true,
    })
    await waitFor(() => stats(id).state === 'online', 'online')
    const liveMessages: unknown[] = []
    const off = s.station.app.live.subscribe({ username: 'test', role: 'admin' }, (m) => liveMessages.push(m))

    await cam.stop() // killed: connections dropped, port closed
    await waitFor(
      () => stats(id).state === 'offline' && stats(id).lastError === 'connection refused',
      'refused',
    )
    expect(stats(id).nextRetryAt).not.toBeNull()
    // The relay's state goes out live before the offline delay is over: refused, and when it retries.
    const statuses = () =>
      liveMessages.filter(
        (m): m is LiveMessage & { type: 'camera.status' } =>
          (m as LiveMessage).type === 'camera.status' && (m as { cameraId: number }).cameraId === id,
      )
    await waitFor(
      () =>
        statuses().some(
          (m) =>
            m.state === 'offline' &&
            m.lastError === 'connection refused' &&
            typeof m.nextRetryAt === 'number',
        ),
      'a live offline state with the last error and the next retry',
    )
    await waitFor(() => stats(id).online === false, 'marked offline after the offline delay')
    await waitFor(() => cameraRow(id).is_online === 0, 'is_online written')
    // Retries are spaced out (100 ms doubling to 800 ms): a handful, never a tight loop.
    const r0 = stats(id).reconnects
    await new Promise((r) => setTimeout(r, 1500))
    const r1 = stats(id).reconnects
    expect(r1 - r0).toBeGreaterThanOrEqual(1)
    expect(r1 - r0).toBeLessThanOrEqual(8)

    await cam.start() // back on the same port
    await waitFor(() => stats(id).state === 'online', 'online again')
    await waitFor(() => cameraRow(id).is_online === 1, 'is_online written')
    // The committed flip goes out once its write is back on the main thread (a moment after the row).
    await waitFor(() => statuses().at(-1)?.online === true, 'live camera.status online')
    const back = statuses().at(-1)!
    expect(back).toMatchObject({ online: true, state: 'online', lastError: null, nextRetryAt: null })
    // Offline as written to the database went out with its state too.
    expect(statuses().some((m) => !m.online && m.state === 'offline' && m.lastError)).toBe(true)
    off()
    const events = await s.eventsIncluding(id, ['camera.offline', 'camera.online'])
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['camera.offline', 'camera.online']))
    expect(events.find((e) => e.type === 'camera.offline')!.message).toMatch(/Flaky.*offline/)
  })
})

function cameraRow(id: number): { is_online: number; last_seen_at: number | null } {
  return s.station.app.db.prepare('SELECT is_online, last_seen_at FROM cameras WHERE id = ?').get(id) as {
    is_online: number
    last_seen_at: number | null
  }
}

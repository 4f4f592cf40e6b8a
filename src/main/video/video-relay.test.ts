/**
 * Push cameras relayed to viewers, on a real station on loopback: HTTP and WebSocket push, MJPEG and
 * WebSocket viewers, byte-for-byte frames, a stalled viewer that skips frames without slowing anyone,
 * reduced-rate viewers, the latest frame as a snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  mjpegViewer,
  startVideoStation,
  testFrame,
  waitFor,
  wsClient,
  TEST_DEVICE_KEY,
  type VideoStation,
  request,
} from './test-support'
import type { Viewer } from './viewers'

let s: VideoStation
beforeAll(async () => {
  s = await startVideoStation()
})
afterAll(async () => {
  await s.station.close()
})

const wsUrl = (s: VideoStation, path: string) => `${s.url.replace('http', 'ws')}${path}`

describe('push cameras relayed to viewers', () => {
  it('relays HTTP-pushed frames byte for byte to MJPEG and WebSocket viewers', async () => {
    const id = await s.createCamera({ name: 'Gate', kind: 'push' })
    const auth = { authorization: `Bearer ${s.guard}` }
    const m1 = await mjpegViewer(`${s.url}/api/v1/stream/${id}/mjpeg`, { headers: auth })
    const m2 = await mjpegViewer(`${s.url}/api/v1/stream/${id}/mjpeg`, { headers: auth })
    const w1 = await wsClient(wsUrl(s, `/ws/stream/${id}`), { headers: auth })
    expect([m1.status, m2.status, w1.status]).toEqual([200, 200, 101])
    expect(m1.headers['content-type']).toMatch(/^multipart\/x-mixed-replace; boundary=/)
    await waitFor(() => s.station.app.video.channel(id)!.viewerCount === 3, '3 viewers')

    const sent: Buffer[] = []
    for (let i = 1; i <= 30; i++) {
      const f = testFrame(i, 3000 + i * 101)
      sent.push(f)
      const res = await s.push(id, f)
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body)).toMatchObject({ success: true, data: { seq: i, viewers: 3 } })
    }
    await waitFor(
      () => m1.frames.length === 30 && m2.frames.length === 30 && w1.frames.length === 30,
      'all frames',
    )
    for (const c of [m1, m2, w1]) c.frames.forEach((f, i) => expect(f.equals(sent[i]!)).toBe(true))
    // The WebSocket viewer got the camera's status as JSON text.
    expect(w1.texts.map((t) => JSON.parse(t) as { type: string })[0]).toMatchObject({
      type: 'status',
      cameraId: id,
    })

    const snap = await request(`${s.url}/api/v1/stream/${id}/snapshot.jpg`, 'GET', auth)
    expect(snap.status).toBe(200)
    expect(snap.headers['content-type']).toBe('image/jpeg')
    expect(snap.raw.equals(sent[29]!)).toBe(true)
    for (const c of [m1, m2, w1]) c.close()
  })

  it('relays WebSocket-pushed frames, large ones included (above the JSON socket limit)', async () => {
    const id = await s.createCamera({ name: 'Yard', kind: 'push' })
    const viewer = await wsClient(wsUrl(s, `/ws/stream/${id}`), {
      headers: { authorization: `Bearer ${s.guard}` },
    })
    const cam = await wsClient(wsUrl(s, `/ws/camera/${id}`), { headers: { 'x-device-key': TEST_DEVICE_KEY } })
    expect(cam.status).toBe(101)
    const sent = [testFrame(1, 5000), testFrame(2, 600 * 1024), testFrame(3, 8000)]
    for (const f of sent) cam.ws.send(f, { binary: true })
    await waitFor(() => viewer.frames.length === 3, 'three frames')
    viewer.frames.forEach((f, i) => expect(f.equals(sent[i]!)).toBe(true))
    // A text message or a non-JPEG gets an error message; the socket stays usable.
    cam.ws.send('hello')
    cam.ws.send(Buffer.from('not a jpeg at all, just some bytes'.repeat(10)), { binary: true })
    await waitFor(() => cam.texts.length === 2, 'two errors')
    expect(cam.texts[1]).toMatch(/not a JPEG/)
    cam.ws.send(testFrame(4), { binary: true })
    await waitFor(() => viewer.frames.length === 4, 'fourth frame')
    cam.close()
    viewer.close()
  })

  it('a stalled viewer skips frames, holds at most two in memory, and does not slow the others', async () => {
    const id = await s.createCamera({ name: 'Dock', kind: 'push' })
    const auth = { authorization: `Bearer ${s.guard}` }
    const fast = await mjpegViewer(`${s.url}/api/v1/stream/${id}/mjpeg`, { headers: auth })
    const fastWs = await wsClient(wsUrl(s, `/ws/stream/${id}`), { headers: auth })
    const stalled = await mjpegViewer(`${s.url}/api/v1/stream/${id}/mjpeg`, { headers: auth, stalled: true })
    const stalledWs = await wsClient(wsUrl(s, `/ws/stream/${id}`), { headers: auth, stalled: true })
    const ch = s.station.app.video.channel(id)!
    await waitFor(
      () => ch.viewerCount === 4,
      `4 viewers (${ch.viewerCount}; ${[fast, fastWs, stalled, stalledWs].map((c) => c.status)})`,
    )
    const size = 512 * 1024
    const n = 60 // 30 MB: far more than the socket buffers of the stalled viewers hold
    for (let i = 1; i <= n; i++) expect((await s.push(id, testFrame(i, size))).status).toBe(200)
    await waitFor(
      () => fast.frames.length === n && fastWs.frames.length === n,
      'fast viewers get every frame',
    )
    const viewers = ch.consumers()
    const stalledViewers = viewers.filter((v) => v.skipped > 0)
    expect(stalledViewers).toHaveLength(2)
    for (const v of stalledViewers) {
      expect(v.busy).toBe(true)
      expect((v.consumer as Viewer).isBusy).toBe(true)
      // At most one frame waits for it in the station...
      expect(v.queuedUnits).toBeLessThanOrEqual(1)
      // ...and one is in flight in user space (plus what the kernel holds, which is not ours).
      expect((v.consumer as Viewer).bufferedBytes).toBeLessThanOrEqual(2 * (size + 200))
    }
    for (const v of viewers.filter((v) => v.skipped === 0)) expect(v.sent).toBe(n)
    for (const c of [fast, fastWs, stalled, stalledWs]) c.close()
    await waitFor(() => ch.viewerCount === 0, 'viewers gone')
  })

  it('a reduced-rate viewer gets about the rate it asked for', async () => {
    const id = await s.createCamera({ name: 'Lobby', kind: 'push' })
    const auth = { authorization: `Bearer ${s.guard}` }
    const thumb = await mjpegViewer(`${s.url}/api/v1/stream/${id}/mjpeg?fps=5`, { headers: auth })
    const full = await wsClient(wsUrl(s, `/ws/stream/${id}`), { headers: auth })
    const started = Date.now()
    let i = 0
    while (Date.now() - started < 1600) {
      await s.push(id, testFrame(++i))
      await new Promise((r) => setTimeout(r, 20))
    }
    const seconds = (Date.now() - started) / 1000
    await waitFor(() => full.frames.length === i, 'full-rate viewer')
    // 5 fps over ~1.6 s: 8 or 9 frames (the first right away); never the full rate.
    expect(thumb.frames.length).toBeGreaterThanOrEqual(Math.floor(5 * seconds) - 2)
    expect(thumb.frames.length).toBeLessThanOrEqual(Math.ceil(5 * seconds) + 2)
    expect(i).toBeGreaterThan(thumb.frames.length * 3)
    const stats = s.station.app.video.stats().cameras.find((c) => c.id === id)!
    expect(stats.viewers).toMatchObject({ total: 2, full: 1, reduced: 1, mjpeg: 1, ws: 1 })
    thumb.close()
    full.close()
  })
})

describe('shutdown', () => {
  it('closes viewers, camera sockets and camera connections, so the station stops promptly', async () => {
    const { SimCameraServer } = await import('./sim/camera-server')
    const cam = await new SimCameraServer({ fps: 10 }).start()
    const t = await startVideoStation()
    try {
      const pushId = await t.createCamera({ name: 'Push', kind: 'push' })
      const pullId = await t.createCamera({
        name: 'Pull',
        kind: 'mjpeg',
        url: `${cam.url}/mjpeg`,
        stayConnected: true,
      })
      const auth = { authorization: `Bearer ${t.guard}` }
      const viewer = await mjpegViewer(`${t.url}/api/v1/stream/${pullId}/mjpeg`, { headers: auth })
      const wsViewer = await wsClient(wsUrl(t, `/ws/stream/${pushId}`), { headers: auth })
      const camSocket = await wsClient(wsUrl(t, `/ws/camera/${pushId}`), {
        headers: { 'x-device-key': TEST_DEVICE_KEY },
      })
      await waitFor(() => viewer.frames.length > 0 && cam.openConnections === 1, 'streaming')
      const stopped = t.station.close().then(() => 'stopped')
      const timeout = new Promise((r) => setTimeout(() => r('still running after 10 s'), 10_000))
      expect(await Promise.race([stopped, timeout])).toBe('stopped')
      await waitFor(() => viewer.closed && wsViewer.closed && camSocket.closed, 'clients closed')
      await waitFor(() => cam.openConnections === 0, 'camera connection closed')
    } finally {
      await cam.stop()
    }
  })
})

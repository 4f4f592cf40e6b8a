/**
 * Alarm snapshots of an RTSP camera, with real ffmpeg: the simulator's RTSP server on loopback, the
 * station relaying it, the alarm's picture decoded from the latest key frame.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm, Rule } from '../../../shared/schemas/alarms'
import { jpegDimensions } from '../../video/jpeg'
import { RtspSimServer } from '../../video/sim/rtsp-server'
import { rtspCameraVideos } from '../../video/sim/rtsp-cameras'
import { request, startVideoStation, type VideoStation } from '../../video/test-support'
import { waitFor } from '../../ws/live-test-client'

let s: VideoStation
let rtsp: RtspSimServer

beforeAll(async () => {
  const videos = await rtspCameraVideos({ width: 640, height: 360, fps: 25, durationS: 4 }, {})
  const v = videos.main
  rtsp = await new RtspSimServer({
    streams: [{ path: '/yard/main', file: v.file, fps: v.fps, width: v.width, height: v.height }],
  }).start()
  s = await startVideoStation()
}, 120_000)

afterAll(async () => {
  await s?.station.close()
  await rtsp?.stop()
})

describe('alarm snapshots of an RTSP camera', () => {
  it("decode the camera's latest key frame into the alarm's picture", async () => {
    const cam = await s.createCamera({ name: 'Yard', kind: 'rtsp', url: rtsp.url('/yard/main') })
    const auth = { authorization: `Bearer ${s.admin}` }
    const res = await s.station.app.inject({
      method: 'POST',
      url: '/api/rules',
      headers: auth,
      payload: {
        name: 'Yard intrusion',
        severity: 'critical',
        trigger: { kind: 'manual' },
        actions: { record: { cameraIds: [cam] } },
      },
    })
    expect(res.statusCode, res.body).toBe(201)
    const rule = res.json().data as Rule
    const raised = await s.station.app.inject({
      method: 'POST',
      url: '/api/alarms',
      headers: { authorization: `Bearer ${s.guard}` },
      payload: { ruleId: rule.id },
    })
    expect(raised.statusCode, raised.body).toBe(200)
    const id = (raised.json().data as Alarm).id
    // The camera is idle until then: the capture connects it for a key frame.
    const alarm = await waitFor(
      () => {
        const a = s.station.app.alarms.alarms.get(id)
        return a && a.snapshots.length > 0 ? a : undefined
      },
      'the RTSP snapshot',
      30_000,
    )
    expect(alarm.snapshots).toEqual([{ cameraId: cam, at: expect.any(Number) }])
    const pic = await request(`${s.url}/api/alarms/${id}/snapshots/${cam}`, 'GET', {
      authorization: `Bearer ${s.guard}`,
    })
    expect(pic.status).toBe(200)
    expect(pic.headers['content-type']).toBe('image/jpeg')
    expect(jpegDimensions(pic.raw)).toEqual({ width: 640, height: 360 })
  })
})

/**
 * Zone-limited motion rules end to end, with real ffmpeg on loopback: the simulator's RTSP server serves a
 * white square sliding along the middle of the picture; the camera has a zone above it ("Sky") and one on
 * its path ("Path"). The detector reports per-zone motion (`camera.zone-motion`), and only the rules that
 * watch the path (by name or by number) raise alarms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RtspSimServer } from '../video/sim/rtsp-server'
import { rtspCameraVideos } from '../video/sim/rtsp-cameras'
import { startVideoStation, waitFor, type VideoStation } from '../video/test-support'
import type { DomainEventOf } from '../../shared/events/domain-events'
import type { Rule, RuleInput } from '../../shared/schemas/alarms'
import type { MotionPolygon } from '../../shared/schemas/motion'

let s: VideoStation
let rtsp: RtspSimServer
const zoneMotion: DomainEventOf<'camera.zone-motion'>[] = []

beforeAll(async () => {
  const v = await rtspCameraVideos(
    { width: 640, height: 360, fps: 25, durationS: 4, pattern: 'moving-square' },
    {},
  )
  const path = (p: string, f: typeof v.main) => ({
    path: p,
    file: f.file,
    fps: f.fps,
    width: f.width,
    height: f.height,
  })
  rtsp = await new RtspSimServer({
    streams: [path('/moving/main', v.main), path('/moving/sub', v.sub!)],
  }).start()
  s = await startVideoStation({ STATION_VIDEO_BACKOFF_MAX_MS: '1000' })
  s.station.app.domainEvents.on('camera.zone-motion', 'test', (e) => zoneMotion.push(e))
}, 120_000)

afterAll(async () => {
  await s?.station.close()
  await rtsp?.stop()
})

const rect = (x0: number, y0: number, x1: number, y1: number, name?: string): MotionPolygon => ({
  points: [
    { x: x0, y: y0 },
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
  ],
  ...(name ? { name } : {}),
})

const post = (url: string, payload: object, method: 'POST' | 'PUT' = 'POST') =>
  s.station.app.inject({ method, url, headers: { authorization: `Bearer ${s.admin}` }, payload })

describe('camera-motion rules with zones', () => {
  it('fire for motion in a watched zone only', async () => {
    const cam = await s.createCamera({
      name: 'Yard',
      kind: 'rtsp',
      url: rtsp.url('/moving/main'),
      subUrl: rtsp.url('/moving/sub'),
    })
    // A zone on an unknown camera's zones is refused before the zones exist.
    const early = await post('/api/rules', {
      name: 'Too early',
      severity: 'warning',
      trigger: { kind: 'camera-motion', cameraId: cam, zones: ['Path'] },
    })
    expect(early.statusCode).toBe(400)
    expect(early.json().message).toMatch(/no motion zone "Path"/)

    // The square slides along the middle of the picture (y 0.4..0.6).
    const put = await post(
      `/api/cameras/${cam}/motion`,
      { enabled: true, zones: [rect(0, 0, 1, 0.3, 'Sky'), rect(0, 0.3, 1, 0.7, 'Path')] },
      'PUT',
    )
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json().data.zones[1].name).toBe('Path')

    const rule = async (name: string, zones: string[]): Promise<Rule> => {
      const input: RuleInput = {
        name,
        severity: 'warning',
        trigger: { kind: 'camera-motion', cameraId: cam, zones },
      }
      const res = await post('/api/rules', input)
      expect(res.statusCode, res.body).toBe(201)
      return res.json().data as Rule
    }
    const sky = await rule('Sky', ['Sky'])
    const path = await rule('Path', ['Path'])
    const second = await rule('Zone 2', ['2'])
    expect(
      (
        await post('/api/rules', {
          name: 'x',
          severity: 'info',
          trigger: { kind: 'camera-motion', cameraId: cam, zones: ['3'] },
        })
      ).statusCode,
    ).toBe(400)

    const alarmsOf = (id: number) => s.station.app.alarms.alarms.list({ ruleId: id, limit: 10 })
    await waitFor(() => alarmsOf(path.id).length > 0 && alarmsOf(second.id).length > 0, 'zone alarms', 60_000)
    expect(alarmsOf(path.id)[0]!.message).toMatch(/motion in Path on camera/)
    // The detector has compared enough frames to have seen the square several times over.
    await waitFor(
      () => (s.station.app.motion.runner.stats().cameras.find((c) => c.cameraId === cam)?.frames ?? 0) >= 24,
      '24 frames compared',
      60_000,
    )
    expect(zoneMotion.some((e) => e.cameraId === cam && e.zone === 1 && e.name === 'Path')).toBe(true)
    expect(zoneMotion.filter((e) => e.zone === 0)).toEqual([])
    expect(alarmsOf(sky.id)).toEqual([])
  }, 120_000)
})

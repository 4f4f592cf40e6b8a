/**
 * A station without a working ffmpeg: RTSP cameras say so plainly, to admins and guards alike (not a
 * generic "offline" or "unreachable"), and everything else works (a push camera next to them streams).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FFMPEG_SETTING_BROKEN } from './ffmpeg/resolve-ffmpeg'
import { request, startVideoStation, testFrame, type VideoStation } from './test-support'

let s: VideoStation
beforeAll(async () => {
  s = await startVideoStation({ STATION_FFMPEG: '/nonexistent/ffmpeg' })
})
afterAll(() => s.station.close())

const stats = async (token: string) => {
  const res = await request(`${s.url}/api/v1/stream/stats`, 'GET', { authorization: `Bearer ${token}` })
  return (
    JSON.parse(res.body) as { data: { cameras: { id: number; state: string; lastError: string | null }[] } }
  ).data.cameras
}

describe('RTSP cameras without ffmpeg', () => {
  it('are unavailable with the reason, for guards too; push cameras still stream', async () => {
    const rtsp = await s.createCamera({ name: 'Gate', kind: 'rtsp', url: 'rtsp://127.0.0.1:8554/cam1/main' })
    const push = await s.createCamera({ name: 'Door', kind: 'push' })
    for (const token of [s.admin, s.guard]) {
      expect((await stats(token)).find((c) => c.id === rtsp)).toMatchObject({
        state: 'unavailable',
        lastError: FFMPEG_SETTING_BROKEN,
      })
    }
    const ws = await request(`${s.url}/api/v1/stream/${rtsp}/live.mp4`, 'GET', {
      authorization: `Bearer ${s.guard}`,
    })
    expect(ws.status).toBe(409)
    expect(JSON.parse(ws.body)).toMatchObject({ code: 'CAMERA_UNAVAILABLE' })
    expect(JSON.parse(ws.body).message).toContain('STATION_FFMPEG')
    expect((await s.push(push, testFrame(1))).status).toBe(200)
    expect((await stats(s.guard)).find((c) => c.id === push)).toMatchObject({ state: 'online' })
  })
})

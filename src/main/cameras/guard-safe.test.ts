import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, startVideoStation, type VideoStation } from '../video/test-support'
import { GUARD_CAMERA_ERROR } from './guard-safe'

let s: VideoStation
beforeAll(async () => {
  s = await startVideoStation({ STATION_VIDEO_BACKOFF_MIN_MS: '50', STATION_VIDEO_BACKOFF_MAX_MS: '200' })
})
afterAll(() => s.station.close())

interface Stats {
  cameras: { id: number; lastError: string | null }[]
}
const stats = async (token: string) => {
  const res = await request(`${s.url}/api/v1/stream/stats`, 'GET', { authorization: `Bearer ${token}` })
  return (JSON.parse(res.body) as { data: Stats }).data
}

describe("a pull camera's trouble", () => {
  it('is told to guards without detail (no map of the LAN), and to admins in full', async () => {
    // Nothing listens on the discard port: the detail would say "connection refused".
    const id = await s.createCamera({
      name: 'Probe',
      kind: 'mjpeg',
      url: 'http://127.0.0.1:9/video',
      stayConnected: true,
    })
    let admin: string | null = null
    for (const until = Date.now() + 15_000; Date.now() < until && !admin;) {
      admin = (await stats(s.admin)).cameras.find((c) => c.id === id)?.lastError ?? null
      if (!admin) await new Promise((r) => setTimeout(r, 50))
    }
    expect(admin).toBeTruthy()
    expect(admin).not.toBe(GUARD_CAMERA_ERROR)
    const guard = (await stats(s.guard)).cameras.find((c) => c.id === id)
    expect(guard?.lastError).toBe(GUARD_CAMERA_ERROR)
    expect(JSON.stringify(await stats(s.guard))).not.toMatch(/onnection refused|ECONN|127\.0\.0\.1/)
  })
})

/** Simulated RTSP cameras against a real station: registered as rtsp cameras whose URLs really play. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startVideoStation, type VideoStation } from '../test-support'
import { TEST_ADMIN_PASSWORD } from '../../server/test-helper'
import { startRtspCameraSimulation } from './cli-rtsp-cameras'
import { readFrames } from './rtsp-test-client'

let s: VideoStation
beforeAll(async () => {
  s = await startVideoStation()
})
afterAll(async () => {
  await s.station.close()
})

interface ListedCamera {
  id: number
  name: string
  kind: string
  url: string | null
  hasCredentials: boolean
  subUrl?: string | null
  transport?: string
}

async function listed(): Promise<ListedCamera[]> {
  const res = await s.station.app.inject({
    method: 'GET',
    url: '/api/cameras',
    headers: { authorization: `Bearer ${s.admin}` },
  })
  return (res.json() as { data: ListedCamera[] }).data
}

describe('simulated RTSP cameras at a station', () => {
  it('registers one rtsp camera per simulated camera (main URL, sub URL, credentials) that plays', async () => {
    const run = await startRtspCameraSimulation({
      url: s.url,
      adminPassword: TEST_ADMIN_PASSWORD,
      cameras: 2,
      port: 0,
      auth: 'digest',
      username: 'viewer',
      password: 'simulator',
      // Small, so the test encodes quickly (the CLI default is 1280x720).
      width: 320,
      height: 180,
      fps: 25,
      pattern: 'moving-square',
    })
    try {
      const { server, cameras } = run.fleet
      expect(run.describe()).toMatch(/2 RTSP cameras on rtsp:\/\/127\.0\.0\.1:\d+ \(digest authentication/)
      expect(server.pathNames).toEqual(['/cam1/main', '/cam1/sub', '/cam2/main', '/cam2/sub'])
      const stored = await listed()
      for (const [i, c] of cameras.entries()) {
        const cam = stored.find((x) => x.id === c.id)!
        expect(cam).toMatchObject({
          name: `Sim RTSP camera 0${i + 1}`,
          kind: 'rtsp',
          url: server.url(`/cam${i + 1}/main`),
          subUrl: server.url(`/cam${i + 1}/sub`),
          transport: 'tcp',
          hasCredentials: true,
        })
        expect(c.subUrl).toBe(server.url(`/cam${i + 1}/sub`))
      }
      // Main and sub are one camera each, not two.
      expect(stored.filter((x) => x.kind === 'rtsp')).toHaveLength(2)
      const creds = { username: 'viewer', password: 'simulator' }
      const play = await readFrames(server.url('/cam2/main', creds), 5)
      expect(play.code, play.stderr).toBe(0)
      expect((await readFrames(server.url('/cam2/sub', creds), 5)).code).toBe(0)
      expect(run.progress()).toMatch(/^rtsp: \d+ client\(s\) playing, frames sent/)
    } finally {
      await run.stop()
    }
    // A second run reuses the cameras by name, now without authentication.
    const again = await startRtspCameraSimulation({
      url: s.url,
      adminPassword: TEST_ADMIN_PASSWORD,
      cameras: 2,
      port: 0,
      auth: 'none',
      username: 'viewer',
      password: 'simulator',
      width: 320,
      height: 180,
      fps: 25,
      pattern: 'moving-square',
    })
    await again.stop()
    const rtsp = (await listed()).filter((c) => c.kind === 'rtsp')
    expect(rtsp).toHaveLength(2)
    expect(rtsp.every((c) => !c.hasCredentials)).toBe(true)
  })
})

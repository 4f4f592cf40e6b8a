/** The camera simulator against a real station: every kind registers, streams and shows online. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startVideoStation, waitFor, type VideoStation } from '../test-support'
import { TEST_ADMIN_PASSWORD } from '../../server/test-helper'
import { startCameraSimulation } from './cli-cameras'

let s: VideoStation
beforeAll(async () => {
  s = await startVideoStation()
})
afterAll(async () => {
  await s.station.close()
})

describe('simulated cameras', () => {
  it('registers push, MJPEG and snapshot cameras that all come online, over HTTP and WebSocket', async () => {
    for (const transport of ['http', 'ws'] as const) {
      const run = await startCameraSimulation({
        url: s.url,
        key: s.station.config.deviceKey!,
        cameras: 4,
        fps: 10,
        adminPassword: TEST_ADMIN_PASSWORD,
        transport,
      })
      try {
        expect(run.describe()).toMatch(/4 cameras \(2 push, 1 mjpeg, 1 snapshot\)/)
        const ids = run.fleet.cameras.map((c) => c.id)
        const states = () => s.station.app.video.stats().cameras.filter((c) => ids.includes(c.id))
        await waitFor(
          () => states().every((c) => c.state === 'online' && c.framesIn >= 3),
          `all online (${transport})`,
        )
        expect(states().every((c) => c.width === 640 && c.height === 480)).toBe(true)
        expect(run.fleet.stats().push.failed).toBe(0)
        expect(run.progress()).toMatch(/pushed/)
      } finally {
        await run.stop()
      }
    }
    // A second run reuses the cameras (same names) instead of adding more.
    expect(s.station.app.video.stats().cameras).toHaveLength(4)
  })
})

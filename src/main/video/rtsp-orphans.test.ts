/**
 * No ffmpeg outlives a headless station, whether it stops (SIGTERM: it waits for its ffmpeg processes) or is
 * killed (`kill -9`: each ffmpeg sees its input, the auth proxy's socket in the station, close, and exits).
 * Real station processes, the simulator's RTSP server, Debian's ffmpeg.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROCESS_ADMIN_PASSWORD, startStationProcess, type StationProcess } from '../devices/station-process'
import { RtspSimServer } from './sim/rtsp-server'
import { rtspCameraVideos } from './sim/rtsp-cameras'
import { ffmpegChildren, processRunning, waitFor } from './test-support'

let rtsp: RtspSimServer
const dirs: string[] = []

beforeAll(async () => {
  const { main } = await rtspCameraVideos({ width: 320, height: 180, durationS: 2 }, false)
  rtsp = await new RtspSimServer({
    streams: [1, 2].map((i) => ({ path: `/cam${i}/main`, file: main.file, fps: main.fps })),
  }).start()
}, 120_000)

afterAll(async () => {
  await rtsp?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function stationWithCameras(): Promise<{ station: StationProcess; ffmpeg: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'station-orphans-'))
  dirs.push(dir)
  const station = await startStationProcess(dir)
  const login = await fetch(`${station.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PROCESS_ADMIN_PASSWORD }),
  })
  const token = ((await login.json()) as { data: { token: string } }).data.token
  for (const i of [1, 2]) {
    const res = await fetch(`${station.url}/api/cameras`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        name: `Cam ${i}`,
        kind: 'rtsp',
        url: rtsp.url(`/cam${i}/main`),
        enabled: true,
        stayConnected: true,
        allowLocal: true,
      }),
    })
    expect(res.status).toBeLessThan(300)
  }
  let ffmpeg: number[] = []
  await waitFor(
    () => (ffmpeg = ffmpegChildren(station.child.pid!)).length === 2,
    'two ffmpeg children',
    30_000,
  )
  return { station, ffmpeg }
}

describe('ffmpeg processes of RTSP cameras', () => {
  it('are gone once the station has stopped (SIGTERM)', async () => {
    const { station, ffmpeg } = await stationWithCameras()
    station.child.kill('SIGTERM')
    const exit = await station.exited
    expect(exit.code).toBe(0)
    // The station waited for them: none is left when it has exited.
    expect(ffmpeg.filter(processRunning)).toEqual([])
  })

  it('exit by themselves when the station is killed (kill -9)', async () => {
    const { station, ffmpeg } = await stationWithCameras()
    station.child.kill('SIGKILL')
    await station.exited
    await waitFor(
      () => ffmpeg.every((pid) => !processRunning(pid)),
      'every ffmpeg gone after kill -9',
      15_000,
    )
  })
})

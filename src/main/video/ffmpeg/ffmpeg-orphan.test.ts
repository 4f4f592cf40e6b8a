/**
 * ffmpeg must not outlive a station killed with SIGKILL. A Node child (the fixture) runs ffmpeg through
 * FfmpegProcess against the test camera; the test kills the child and measures how long ffmpeg lives on.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegStdout } from '../fmp4/test-clips'
import { waitFor } from '../test-support'
import { startTestCamera, type TestCamera } from './test-rtsp-camera'

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ffmpeg-orphan.fixture.ts')
let h264: Buffer
const cameras: TestCamera[] = []

beforeAll(async () => {
  h264 = await ffmpegStdout([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '2'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p', '-f', 'h264', 'pipe:1'],
  ])
})
afterAll(async () => {
  for (const c of cameras) await c.close()
})

/** Gone, or a zombie nobody reaps (it has exited: the container's init may not reap orphans). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return true
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return true
  }
}

/** Starts the fixture, waits for fragments, optionally for the camera to stall, kills it: ms ffmpeg lived on. */
async function orphanLifetime(options: {
  stall: boolean
  viaProxy: boolean
  timeoutMs: number
}): Promise<number> {
  const camera = await startTestCamera({
    media: { kind: 'h264', annexB: h264, fps: 25 },
    ...(options.stall ? { stallAfterFrames: 20 } : {}),
  })
  cameras.push(camera)
  const station = spawn(
    process.execPath,
    ['--import', 'tsx', fixture, JSON.stringify({ cameraUrl: camera.url, ...options })],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let ffmpegPid: number | undefined
  let out = ''
  station.stdout.on('data', (d: Buffer) => {
    out += d.toString()
    const m = /"ffmpegPid":(\d+)/.exec(out)
    if (m) ffmpegPid ??= Number(m[1])
  })
  try {
    await waitFor(() => ffmpegPid !== undefined, 'ffmpeg streaming in the fixture', 20_000)
    const pid = ffmpegPid!
    if (options.stall) {
      await waitFor(() => camera.framesSent >= 20, 'the camera to stall')
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(gone(pid)).toBe(false)
    station.kill('SIGKILL')
    const killedAt = Date.now()
    try {
      await waitFor(() => gone(pid), 'the orphaned ffmpeg to exit', 15_000)
    } finally {
      if (!gone(pid)) process.kill(pid, 'SIGKILL')
    }
    await waitFor(() => camera.open() === 0, 'the camera connection to close')
    const lived = Date.now() - killedAt
    if (process.env.GS_ORPHAN_LOG) console.log(JSON.stringify(options), `ffmpeg lived on ${lived} ms`)
    return lived
  } finally {
    station.kill('SIGKILL')
  }
}

describe('an ffmpeg whose station was killed with SIGKILL', () => {
  it('exits at once through the auth proxy, even with a stalled camera (its input socket dies)', async () => {
    const lived = await orphanLifetime({ stall: true, viaProxy: true, timeoutMs: 10_000 })
    expect(lived).toBeLessThan(1500)
  })

  it('exits at once while the camera sends (its next write to stdout fails)', async () => {
    const lived = await orphanLifetime({ stall: false, viaProxy: false, timeoutMs: 10_000 })
    expect(lived).toBeLessThan(1500)
  })

  it('exits within about two socket timeouts when connected straight to a stalled camera', async () => {
    const lived = await orphanLifetime({ stall: true, viaProxy: false, timeoutMs: 1000 })
    expect(lived).toBeLessThan(2 * 1000 + 1500)
  })
})

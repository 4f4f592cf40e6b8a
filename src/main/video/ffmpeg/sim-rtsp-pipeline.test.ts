/**
 * The station-side pipeline against the simulator's RTSP server (src/main/video/sim/rtsp-server.ts) with
 * Digest authentication: real ffmpeg → RTSP auth proxy → RtspSimServer, with the remux arguments, into the
 * fMP4 splitter.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Fragment, InitSegment } from '../fmp4/splitter'
import { annexBNals } from '../fmp4/test-clips'
import { RtspSimServer } from '../sim/rtsp-server'
import { makeTestVideo, type TestVideo } from '../sim/test-video'
import { waitFor } from '../test-support'
import { FfmpegProcess } from './ffmpeg-process'
import { RtspAuthProxy } from './rtsp-auth-proxy'
import { rtspRemuxArgs } from './rtsp-remux-args'
import { createRedactor } from './stderr-reasons'

const creds = { username: 'operator', password: 'Sim-Digest-9' }
let video: TestVideo
let server: RtspSimServer

beforeAll(async () => {
  video = await makeTestVideo({ width: 320, height: 180, bitrateKbps: 300, durationS: 2, gop: 10 })
  server = await new RtspSimServer({
    streams: [{ path: '/cam1/main', file: video.file, fps: video.fps }],
    auth: { scheme: 'digest', qop: true, ...creds },
  }).start()
})
afterAll(async () => {
  await server?.stop()
})

async function remux(cameraUrl: string, until: (fragments: number) => boolean) {
  const proxy = await RtspAuthProxy.start({ cameraUrl })
  const lease = proxy.lease()
  const got = { inits: [] as InitSegment[], fragments: [] as Fragment[] }
  const proc = FfmpegProcess.start(
    {
      ffmpegPath: 'ffmpeg',
      args: rtspRemuxArgs({ url: lease.url, timeoutMs: 3000 }),
      output: 'fmp4',
      redact: createRedactor(creds),
    },
    { init: (i) => got.inits.push(i), fragment: (f) => got.fragments.push(f) },
  )
  try {
    await Promise.race([waitFor(() => until(got.fragments.length), 'fragments', 20_000), proc.exited])
  } finally {
    await proc.stop()
    lease.release()
    await proxy.close()
  }
  return { got, exit: await proc.exited, lease }
}

describe('ffmpeg → RTSP auth proxy → simulated RTSP camera (Digest)', () => {
  it('yields the init segment, then fragments with a keyframe every GOP', async () => {
    // Credentials in the camera URL, as cameras are often configured: the proxy takes them out.
    const { got, exit, lease } = await remux(server.url('/cam1/main', creds), (n) => n >= 45)
    expect(exit.reason).toBe('stopped')
    expect(lease.failure).toBeNull()
    const sps = annexBNals(readFileSync(video.file)).find((n) => (n[0]! & 0x1f) === 7)!
    expect(got.inits).toHaveLength(1)
    expect(got.inits[0]).toMatchObject({ codec: 'avc1', width: 320, height: 180 })
    expect(got.inits[0]!.codecString.toLowerCase()).toBe(`avc1.${sps.subarray(1, 4).toString('hex')}`)
    const keys = got.fragments.flatMap((f, i) => (f.keyframe ? [i] : []))
    expect(keys.length).toBeGreaterThanOrEqual(4)
    expect(keys.slice(1).map((k, i) => k - keys[i]!)).toEqual(keys.slice(1).map(() => 10))
    for (let i = 1; i < got.fragments.length; i++) {
      expect(got.fragments[i]!.baseMediaDecodeTime!).toBeGreaterThan(
        got.fragments[i - 1]!.baseMediaDecodeTime!,
      )
    }
  })

  it('reports a refused password as auth-failed', async () => {
    const { got, exit, lease } = await remux(
      server.url('/cam1/main', { ...creds, password: 'wrong' }),
      () => false,
    )
    expect(got.inits).toHaveLength(0)
    expect(exit.reason).toBe('auth-failed')
    expect(lease.failure?.reason).toBe('auth-failed')
  })
})

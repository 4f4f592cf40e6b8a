/**
 * End to end with real ffmpeg: test camera (Digest) ← RTSP auth proxy ← ffmpeg with the remux arguments →
 * fMP4 splitter; plus snapshot, transcode, and the reasons a failed run reports.
 */
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isJpeg } from '../jpeg'
import type { Fragment, InitSegment } from '../fmp4/splitter'
import { annexBNals, ffmpegStdout } from '../fmp4/test-clips'
import { waitFor } from '../test-support'
import { FfmpegProcess, type FfmpegExit } from './ffmpeg-process'
import { RtspAuthProxy, explainRun } from './rtsp-auth-proxy'
import { rtspRemuxArgs, rtspSnapshotArgs, rtspTranscodeArgs } from './rtsp-remux-args'
import { createRedactor } from './stderr-reasons'
import { startTestCamera, type TestCamera, type TestCameraOptions } from './test-rtsp-camera'

const creds = { username: 'viewer', password: 'Pa55-word!' }
let h264: Buffer
let camera: TestCamera | undefined
let proxy: RtspAuthProxy | undefined
let running: FfmpegProcess | undefined

beforeAll(async () => {
  h264 = await ffmpegStdout([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '2'],
    ...[
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '10',
      '-x264-params',
      'scenecut=0',
      '-pix_fmt',
      'yuv420p',
    ],
    ...['-f', 'h264', 'pipe:1'],
  ])
})

afterEach(async () => {
  await running?.stop()
  await proxy?.close()
  await camera?.close()
  running = proxy = camera = undefined
})

async function setup(options: Partial<TestCameraOptions> = {}, proxyCreds = creds, path = '/stream') {
  camera = await startTestCamera({
    auth: { scheme: 'digest', qop: true, ...creds },
    media: { kind: 'h264', annexB: h264, fps: 25 },
    ...options,
  })
  proxy = await RtspAuthProxy.start({ cameraUrl: camera.url.replace('/stream', path), ...proxyCreds })
  return { camera, proxy, lease: proxy.lease() }
}

function run(args: string[], output: 'fmp4' | 'raw' = 'fmp4') {
  const got = {
    inits: [] as InitSegment[],
    fragments: [] as Fragment[],
    data: [] as Buffer[],
    log: [] as string[],
  }
  running = FfmpegProcess.start(
    { ffmpegPath: 'ffmpeg', args, output, redact: createRedactor(creds), log: (l) => got.log.push(l) },
    {
      init: (i) => got.inits.push(i),
      fragment: (f) => got.fragments.push(f),
      data: (d) => got.data.push(d),
    },
  )
  return { proc: running, got }
}

describe('real ffmpeg through the RTSP auth proxy', () => {
  it('remuxes a Digest camera into fMP4: init, then fragments with a keyframe every 10 frames', async () => {
    const { camera, lease } = await setup({ sessionTimeoutS: 2 })
    const { proc, got } = run(rtspRemuxArgs({ url: lease.url, timeoutMs: 3000 }))
    await waitFor(() => got.fragments.length >= 40, '40 fragments', 20_000)

    const sps = annexBNals(h264).find((n) => (n[0]! & 0x1f) === 7)!
    expect(got.inits).toHaveLength(1)
    expect(got.inits[0]).toMatchObject({ codec: 'avc1', width: 320, height: 240 })
    expect(got.inits[0]!.codecString.toLowerCase()).toBe(`avc1.${sps.subarray(1, 4).toString('hex')}`)
    const keys = got.fragments.flatMap((f, i) => (f.keyframe ? [i] : []))
    // The camera starts on a keyframe and nothing is dropped while ffmpeg probes.
    expect(keys[0]).toBe(0)
    expect(keys.slice(1).map((k, i) => k - keys[i]!)).toEqual(keys.slice(1).map(() => 10))
    for (let i = 1; i < got.fragments.length; i++) {
      expect(got.fragments[i]!.baseMediaDecodeTime!).toBeGreaterThan(
        got.fragments[i - 1]!.baseMediaDecodeTime!,
      )
    }

    // Credentials never reached ffmpeg's command line; every request after the challenge was authorized,
    // keep-alives (half the 2 s session timeout) included.
    const cmdline = readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8')
    expect(cmdline).toContain(lease.url)
    expect(cmdline).not.toContain(creds.password)
    expect(cmdline).not.toContain(creds.username)
    await waitFor(() => camera.requests.some((r) => r.method === 'GET_PARAMETER'), 'a keep-alive', 5000)
    expect(camera.requests.filter((r) => !r.authorized).map((r) => r.method)).toEqual(['OPTIONS'])
    expect(lease.failure).toBeNull()

    const exit = await proc.stop()
    expect(exit.reason).toBe('stopped')
    await waitFor(() => camera.open() === 0, 'camera connection closed after ffmpeg')
    expect(got.log.join('\n')).not.toContain(creds.password)
  })

  it('reports refused credentials, a wrong path and an unreachable camera', async () => {
    const cases: [() => Promise<string>, string][] = [
      [async () => (await setup({}, { ...creds, password: 'nope' })).lease.url, 'auth-failed'],
      [async () => (await setup({}, creds, '/other')).lease.url, 'not-found'],
    ]
    for (const [url, reason] of cases) {
      const { proc } = run(rtspRemuxArgs({ url: await url(), timeoutMs: 3000 }))
      const exit: FfmpegExit = await proc.exited
      expect(exit.reason).toBe(reason)
      await proxy!.close()
      await camera!.close()
    }
    const { proc } = run(rtspRemuxArgs({ url: (await setup()).lease.url, timeoutMs: 3000 }))
    await proxy!.close() // nothing listens behind the lease any more: connection refused at the proxy
    expect((await proc.exited).reason).toBe('unreachable')

    const port = await freePort()
    proxy = await RtspAuthProxy.start({ cameraUrl: `rtsp://127.0.0.1:${port}/stream` })
    const lease = proxy.lease()
    const dead = run(rtspRemuxArgs({ url: lease.url, timeoutMs: 3000 }))
    const exit = await dead.proc.exited
    expect(exit).toMatchObject({ reason: 'unreachable' })
    expect(exit.message).toMatch(/connection refused/)
    expect(lease.failure?.reason).toBe('unreachable')
  })

  it('says so when another local program took the lease before ffmpeg connected', async () => {
    const { lease } = await setup()
    const u = new URL(lease.url)
    const intruder = net.connect(Number(u.port), u.hostname)
    intruder.write(`OPTIONS ${lease.url} RTSP/1.0\r\nCSeq: 1\r\n\r\n`)
    await new Promise((r) => intruder.once('data', r))
    try {
      const { proc } = run(rtspRemuxArgs({ url: lease.url, timeoutMs: 3000 }))
      const exit = await proc.exited
      // ffmpeg only sees a 403; the proxy knows better.
      expect(exit.reason).toBe('auth-failed')
      expect(explainRun(exit, lease)).toMatchObject({
        reason: 'other',
        message: expect.stringMatching(/Another program/),
      })
    } finally {
      intruder.destroy()
    }
  })

  it('ends a run whose camera stalls, within about twice the socket timeout', async () => {
    const { lease } = await setup({ stallAfterFrames: 15 })
    const { proc, got } = run(rtspRemuxArgs({ url: lease.url, timeoutMs: 1000 }))
    await waitFor(() => got.fragments.length >= 10, 'fragments before the stall', 10_000)
    const exit = await proc.exited
    const quiet = Date.now() - proc.stats().lastOutputAt!
    expect(exit.reason).toBe('timeout')
    expect(quiet).toBeLessThan(3500)
  })

  it('takes a JPEG snapshot from a keyframe, also when the camera is joined mid-GOP', async () => {
    const snapshot = async (startAtFrame: number) => {
      const { lease } = await setup({ startAtFrame })
      const { proc, got } = run(
        rtspSnapshotArgs({ url: lease.url, timeoutMs: 3000 }, { maxWidth: 160 }),
        'raw',
      )
      const exit = await proc.exited
      expect(exit).toMatchObject({ code: 0, reason: 'ended' })
      await proxy!.close()
      await camera!.close()
      return Buffer.concat(got.data)
    }
    const first = await snapshot(0)
    expect(isJpeg(first)).toBe(true)
    // Joined at frame 3, the snapshot is frame 10 (the next keyframe), byte for byte.
    const mid = await snapshot(3)
    expect(mid.equals(await snapshot(10))).toBe(true)
    expect(mid.equals(first)).toBe(false)
  })

  it('transcodes to low-resolution H.264', async () => {
    const { lease } = await setup()
    const { got } = run(
      rtspTranscodeArgs({ url: lease.url, timeoutMs: 3000 }, { maxWidth: 160, keyframeSeconds: 0.4 }),
    )
    await waitFor(() => got.fragments.length >= 25, 'transcoded fragments', 20_000)
    expect(got.inits[0]).toMatchObject({ codec: 'avc1', width: 160, height: 120 })
    expect(got.inits[0]!.codecString).toMatch(/^avc1\.4D/) // Main profile
    expect(got.fragments.filter((f) => f.keyframe).length).toBeGreaterThanOrEqual(2)
  })
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

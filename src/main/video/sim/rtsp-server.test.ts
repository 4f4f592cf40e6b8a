/**
 * The simulated RTSP server against real clients on loopback: Debian's ffprobe and ffmpeg, and a raw
 * socket client that sees every response and RTP packet (and can stop reading, as a stalled viewer does).
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../test-support'
import { parseAnnexB } from './h264-annexb'
import { RtspSimServer } from './rtsp-server'
import { RawRtspClient, readFrames, runTool } from './rtsp-test-client'
import { makeTestVideo, type TestVideo } from './test-video'

let main: TestVideo
let sub: TestVideo
let loop: TestVideo
let server: RtspSimServer

beforeAll(async () => {
  ;[main, sub, loop] = await Promise.all([
    makeTestVideo(),
    makeTestVideo({ width: 320, height: 180, bitrateKbps: 300 }),
    // One second, one GOP: the loop comes round quickly.
    makeTestVideo({ width: 320, height: 180, bitrateKbps: 300, durationS: 1 }),
  ])
  server = await new RtspSimServer({
    streams: [
      { path: '/cam1/main', file: main.file, fps: main.fps },
      { path: '/cam1/sub', file: sub.file, fps: sub.fps },
      { path: '/loop', file: loop.file, fps: loop.fps },
    ],
  }).start()
})
afterAll(async () => {
  await server?.stop()
})

describe('simulated RTSP server', () => {
  it('ffprobe sees an H.264 stream of the right size on each path', async () => {
    for (const [path, video] of [
      ['/cam1/main', main],
      ['/cam1/sub', sub],
    ] as const) {
      const run = await runTool('ffprobe', [
        ...['-v', 'error', '-rtsp_transport', 'tcp', '-show_streams', '-of', 'json', server.url(path)],
      ])
      expect(run.code, run.stderr).toBe(0)
      const streams = (JSON.parse(run.stdout) as { streams: Record<string, unknown>[] }).streams
      expect(streams).toHaveLength(1)
      expect(streams[0]).toMatchObject({
        codec_name: 'h264',
        codec_type: 'video',
        profile: 'High',
        width: video.width,
        height: video.height,
        r_frame_rate: '25/1',
      })
    }
  })

  it('ffmpeg reads 50 frames without an error', async () => {
    const run = await readFrames(server.url('/cam1/main'), 50)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.frames).toBe(50)
  })

  it('answers the RTSP methods as RFC 2326 says, and streams from a keyframe with SPS and PPS', async () => {
    const c = await RawRtspClient.connect(server.url('/loop'))
    try {
      const options = await c.request('OPTIONS', '*')
      expect(options.status).toBe(200)
      expect(options.headers.get('public')).toBe(
        'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, GET_PARAMETER, TEARDOWN',
      )
      expect(options.headers.get('cseq')).toBe('1')

      const d = await c.request('DESCRIBE', server.url('/loop'), { Accept: 'application/sdp' })
      expect(d.status).toBe(200)
      expect(d.headers.get('content-type')).toBe('application/sdp')
      expect(d.headers.get('content-base')).toBe(`${server.url('/loop')}/`)
      const sdp = d.body.toString()
      const { sps, pps, profileLevelId } = parseAnnexB(readFileSync(loop.file))
      expect(sdp).toContain('m=video 0 RTP/AVP 96\r\n')
      expect(sdp).toContain('a=rtpmap:96 H264/90000\r\n')
      expect(sdp).toContain(
        `a=fmtp:96 packetization-mode=1;profile-level-id=${profileLevelId};sprop-parameter-sets=${sps.toString('base64')},${pps.toString('base64')}\r\n`,
      )
      expect(sdp).toMatch(/a=control:trackID=0\r\n$/)
      expect(profileLevelId).toMatch(/^64/) // High profile

      const track = `${server.url('/loop')}/trackID=0`
      const udp = await c.request('SETUP', track, { Transport: 'RTP/AVP;unicast;client_port=5000-5001' })
      expect(udp.status).toBe(461)
      expect(udp.body.toString()).toMatch(/RTP\/AVP\/TCP/)
      expect((await c.request('SETUP', `${server.origin}/nowhere/trackID=0`, {})).status).toBe(404)
      expect((await c.request('PLAY', server.url('/loop'), { Session: 'NOPE' })).status).toBe(454)

      const setup = await c.request('SETUP', track, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' })
      expect(setup.status).toBe(200)
      expect(setup.headers.get('transport')).toMatch(
        /^RTP\/AVP\/TCP;unicast;interleaved=0-1;ssrc=[0-9A-F]{8};mode="PLAY"$/,
      )
      expect(setup.headers.get('session')).toMatch(/^[0-9A-F]{16};timeout=60$/)
      c.session = setup.headers.get('session')!.split(';')[0]

      const play = await c.request('PLAY', `${server.url('/loop')}/`, { Range: 'npt=0.000-' })
      expect(play.status).toBe(200)
      expect(play.headers.get('range')).toBe('npt=0.000-')
      const info = /^url=(.+);seq=(\d+);rtptime=(\d+)$/.exec(play.headers.get('rtp-info') ?? '')
      expect(info?.[1]).toBe(track)

      // 25 frames per loop: 40 frames cross it.
      await waitFor(() => c.frames.length >= 40, '40 frames')
      expect(c.firstSeq).toBe(Number(info![2]))
      expect(c.frames[0]!.timestamp).toBe(Number(info![3]))
      expect(c.seqGaps).toBe(0)
      for (const [i, f] of c.frames.entries()) {
        // 90 kHz at 25 fps, continuous across the loop.
        if (i > 0) expect((f.timestamp - c.frames[i - 1]!.timestamp) >>> 0).toBe(3600)
        // Every keyframe (each 25th frame) comes with its SPS and PPS in front.
        if (i % 25 === 0) expect(f.nalTypes.slice(0, 2)).toEqual([7, 8])
        expect(f.nalTypes.includes(5)).toBe(i % 25 === 0)
      }
      // Frames larger than the payload limit went as FU-A fragments.
      expect(c.frames.some((f) => f.packets > f.nalTypes.length)).toBe(true)

      const keepalive = await c.request('GET_PARAMETER', `${server.url('/loop')}/`)
      expect(keepalive.status).toBe(200)
      expect(keepalive.headers.get('session')).toMatch(new RegExp(`^${c.session};timeout=60$`))

      expect((await c.request('TEARDOWN', `${server.url('/loop')}/`)).status).toBe(200)
      const after = c.frames.length
      await waitFor(() => server.stats().paths.find((p) => p.path === '/loop')!.clients === 0, 'detached')
      const emitted = server.stats().paths.find((p) => p.path === '/loop')!.framesEmitted
      expect(c.frames.length).toBeLessThanOrEqual(after + 1)
      expect(emitted).toBeGreaterThan(0)
    } finally {
      c.close()
    }
  })

  it('serves two clients at once from one clock', async () => {
    const path = () => server.stats().paths.find((p) => p.path === '/cam1/main')!.framesEmitted
    const [emitted0, sent0] = [path(), server.stats().framesSent]
    const [a, b] = await Promise.all([
      readFrames(server.url('/cam1/main'), 50),
      readFrames(server.url('/cam1/main'), 50),
    ])
    for (const run of [a, b]) {
      expect(run.code, run.stderr).toBe(0)
      expect(run.frames).toBe(50)
    }
    // Fan-out: each frame the path's clock emitted went to both, so fewer frames were emitted than sent.
    const sent = server.stats().framesSent - sent0
    expect(sent).toBeGreaterThanOrEqual(100)
    expect(path() - emitted0).toBeLessThan(sent)
  })

  it('makes a killed path fail its clients and refuse new ones, and lets them play once revived', async () => {
    const reading = readFrames(server.url('/cam1/sub'), 100_000, 30_000)
    await waitFor(
      () => server.stats().clients.some((c) => c.path === '/cam1/sub' && c.framesSent > 5),
      'ffmpeg playing',
    )
    server.killPath('/cam1/sub')
    const killed = await reading
    expect(killed.code).not.toBeNull() // it ended by itself, not by the timeout
    expect(killed.frames).toBeLessThan(100_000)
    const refused = await readFrames(server.url('/cam1/sub'), 5)
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toMatch(/503 Service Unavailable/)
    // Other paths are not affected.
    expect((await readFrames(server.url('/cam1/main'), 5)).code).toBe(0)
    server.revivePath('/cam1/sub')
    const back = await readFrames(server.url('/cam1/sub'), 10)
    expect(back.code, back.stderr).toBe(0)
    expect(back.frames).toBe(10)
    // dropClients: connections go, the path stays up.
    const raw = await RawRtspClient.connect(server.url('/cam1/sub'))
    expect((await raw.play()).status).toBe(200)
    await waitFor(() => raw.frames.length > 0, 'frames')
    server.dropClients('/cam1/sub')
    await waitFor(() => raw.closed, 'the client dropped')
    expect((await readFrames(server.url('/cam1/sub'), 3)).code).toBe(0)
  })

  it('stops and starts again on the same port', async () => {
    const port = server.port
    await server.stop()
    const down = await readFrames(server.url('/cam1/main'), 5)
    expect(down.code).not.toBe(0)
    expect(down.stderr).toMatch(/Connection refused/)
    await server.start()
    expect(server.port).toBe(port)
    expect((await readFrames(server.url('/cam1/main'), 5)).code).toBe(0)
  })
})

describe('simulated RTSP server: a client that stops reading', () => {
  it('skips its frames and then drops it, within a bounded buffer, while another client gets every frame', async () => {
    // Grainy 640x360 at 20 Mbit/s: the kernel's socket buffers fill within a second or two.
    const noise = await makeTestVideo({ pattern: 'noise', bitrateKbps: 20_000, durationS: 2 })
    const bound = 256 * 1024
    const s = await new RtspSimServer({
      streams: [{ path: '/noise', file: noise.file, fps: noise.fps }],
      sendBufferBytes: bound,
      stallDropMs: 3000,
    }).start()
    const stalled = await RawRtspClient.connect(s.url('/noise'))
    const healthy = await RawRtspClient.connect(s.url('/noise'))
    try {
      await stalled.play({ stallAfterPlay: true })
      expect((await healthy.play()).status).toBe(200)
      const stalledStats = () => s.stats().clients.find((c) => c.playing && c.framesSkipped > 0)
      await waitFor(() => stalledStats() !== undefined, 'the stalled client skipping', 20_000)
      const path = () => s.stats().paths[0]!.framesEmitted
      const [e0, h0] = [path(), healthy.frames.length]
      await waitFor(() => path() >= e0 + 25, '25 more frames')
      // The reading client kept up with the clock: it has every frame emitted meanwhile (or at once after).
      const emitted = path() - e0
      await waitFor(() => healthy.frames.length - h0 >= emitted, 'the reading client up to date', 1000)
      // The stalled one never had more than the bound plus one access unit waiting.
      const largest = Math.max(
        ...parseAnnexB(readFileSync(noise.file)).units.map((u) => u.nals.reduce((n, x) => n + x.length, 0)),
      )
      const slack = largest + 64 * 1024 // RTP and interleaved headers, an RTCP report
      expect(stalledStats()!.maxBuffered).toBeLessThanOrEqual(bound + slack)
      // Over the bound for longer than stallDropMs: the server lets go of it (and of its buffer).
      await waitFor(() => s.stats().stalledDrops === 1, 'the stalled client dropped', 10_000)
      expect(s.stats().connections).toBe(1)
      expect(s.stats().clients[0]!.framesSkipped).toBe(0)
      expect(healthy.closed).toBe(false)
      expect(healthy.seqGaps).toBe(0)
    } finally {
      stalled.close()
      healthy.close()
      await s.stop()
    }
  })
})

describe('simulated RTSP server: authentication and sessions', () => {
  for (const scheme of ['basic', 'digest'] as const) {
    it(`${scheme}: the right credentials play, wrong or missing ones get 401`, async () => {
      const s = await new RtspSimServer({
        streams: [{ path: '/cam1/main', file: main.file, fps: main.fps }],
        auth: { scheme, username: 'viewer', password: 's3cret pass' },
      }).start()
      try {
        const ok = await readFrames(s.url('/cam1/main', { username: 'viewer', password: 's3cret pass' }), 5)
        expect(ok.code, ok.stderr).toBe(0)
        expect(ok.frames).toBe(5)
        for (const url of [
          s.url('/cam1/main', { username: 'viewer', password: 'wrong' }),
          s.url('/cam1/main', { username: 'intruder', password: 's3cret pass' }),
          s.url('/cam1/main'),
        ]) {
          const refused = await readFrames(url, 5)
          expect(refused.code).not.toBe(0)
          expect(refused.stderr).toMatch(/401 Unauthorized/)
        }
        const raw = await RawRtspClient.connect(s.url('/cam1/main'))
        const challenge = await raw.request('DESCRIBE')
        raw.close()
        expect(challenge.status).toBe(401)
        expect(challenge.headers.get('www-authenticate')).toMatch(
          scheme === 'basic' ? /^Basic realm="/ : /^Digest realm="[^"]+", nonce="[0-9a-f]+"/,
        )
      } finally {
        await s.stop()
      }
    })
  }

  it('closes a session nobody keeps alive; ffmpeg keeps its own alive', async () => {
    const s = await new RtspSimServer({
      streams: [{ path: '/cam1/main', file: main.file, fps: main.fps }],
      sessionTimeoutS: 2,
    }).start()
    const silent = await RawRtspClient.connect(s.url('/cam1/main'))
    try {
      const reading = readFrames(s.url('/cam1/main'), 100) // four seconds, twice the timeout
      expect((await silent.play()).headers.get('session')).toMatch(/;timeout=2$/)
      await waitFor(() => silent.frames.length > 0, 'frames to the silent client')
      await waitFor(() => silent.closed, 'the silent session closed', 5000)
      const run = await reading
      expect(run.code, run.stderr).toBe(0)
      expect(run.frames).toBe(100)
    } finally {
      silent.close()
      await s.stop()
    }
  })
})

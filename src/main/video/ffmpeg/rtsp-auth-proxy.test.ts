import net from 'node:net'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../test-support'
import { RtspAuthProxy } from './rtsp-auth-proxy'
import { RtspFramer, frameCollector, getHeader, type RtspMessage } from './rtsp-message'
import { startTestCamera, type TestCamera, type TestCameraOptions } from './test-rtsp-camera'

/** A raw RTSP client standing in for ffmpeg. */
async function rtspClient(url: string) {
  const u = new URL(url)
  const socket = net.connect(Number(u.port), u.hostname)
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  const waiting = new Map<string, (m: RtspMessage) => void>()
  const frames: { channel: number; payload: Buffer }[] = []
  let closed = false
  let cseq = 0
  socket.on('close', () => (closed = true))
  socket.on('error', () => {})
  const framer = new RtspFramer({
    ...frameCollector((channel, payload) => frames.push({ channel, payload })),
    message: (m) => {
      const w = waiting.get(getHeader(m, 'CSeq') ?? '')
      waiting.delete(getHeader(m, 'CSeq') ?? '')
      w?.(m)
    },
    error: (why) => {
      throw new Error(why)
    },
  })
  socket.on('data', (c: Buffer) => framer.push(c))
  return {
    socket,
    frames,
    isClosed: () => closed,
    request(method: string, uri = url, headers: string[] = []): Promise<RtspMessage> {
      const n = String(++cseq)
      socket.write([`${method} ${uri} RTSP/1.0`, `CSeq: ${n}`, ...headers, '', ''].join('\r\n'))
      return new Promise((resolve, reject) => {
        waiting.set(n, resolve)
        socket.once('close', () => reject(new Error(`closed before the answer to ${method}`)))
      })
    },
    sendFrame(channel: number, payload: Buffer) {
      socket.write(
        Buffer.concat([Buffer.from([0x24, channel, payload.length >> 8, payload.length & 0xff]), payload]),
      )
    },
  }
}

const creds = { username: 'admin', password: 'S3cret-pass' }
let camera: TestCamera | undefined
let proxy: RtspAuthProxy | undefined
afterEach(async () => {
  await proxy?.close()
  await camera?.close()
  proxy = camera = undefined
})

async function setup(
  options: TestCameraOptions,
  proxyCreds: { username?: string; password?: string } = creds,
) {
  camera = await startTestCamera(options)
  proxy = await RtspAuthProxy.start({ cameraUrl: camera.url, ...proxyCreds })
  return { camera, proxy, lease: proxy.lease() }
}

const sizes = (i: number) => [1, 7, 1400, 4000, 65535, 300][i % 6]!

describe('RtspAuthProxy against a stub camera', () => {
  it('answers a Digest challenge (qop=auth), rewrites URIs and CSeq, and passes interleaved frames both ways', async () => {
    const { camera, proxy, lease } = await setup({
      auth: { scheme: 'digest', qop: true, ...creds },
      media: { kind: 'dummy', fps: 200, frames: 60, size: sizes },
    })
    expect(lease.url).toMatch(new RegExp(`^rtsp://127\\.0\\.0\\.1:${proxy.port}/[A-Za-z0-9_-]{24}$`))
    expect(lease.url).not.toContain(creds.password)
    const client = await rtspClient(lease.url)
    const options = await client.request('OPTIONS')
    expect(options.startLine).toBe('RTSP/1.0 200 OK')
    expect(getHeader(options, 'CSeq')).toBe('1')
    const describe = await client.request('DESCRIBE', lease.url, ['Accept: application/sdp'])
    expect(describe.body.toString()).toContain('m=video')
    expect(getHeader(describe, 'CSeq')).toBe('2')
    await client.request('SETUP', `${lease.url}/track1`, ['Transport: RTP/AVP/TCP;unicast;interleaved=0-1'])
    await client.request('PLAY', lease.url, ['Session: 4711'])

    // While frames flow: RTCP from the client, and a keep-alive whose answer comes amid the frames.
    client.sendFrame(1, Buffer.alloc(52, 0xee))
    await waitFor(() => client.frames.length >= 10, 'first frames')
    const keepalive = await client.request('GET_PARAMETER', lease.url, ['Session: 4711'])
    expect(keepalive.startLine).toBe('RTSP/1.0 200 OK')
    expect(getHeader(keepalive, 'CSeq')).toBe('5')
    client.sendFrame(1, Buffer.alloc(0))
    await waitFor(() => client.frames.length === 60, 'all frames')
    client.frames.forEach((f, i) => {
      expect(f.channel).toBe(0)
      expect(f.payload.length).toBe(sizes(i))
      expect(f.payload.every((b) => b === (i & 0xff))).toBe(true)
    })
    await waitFor(() => camera.framesFromClients === 2, 'RTCP at the camera')

    // The camera saw its own URL (no userinfo), one challenge, then Authorization on every request.
    const seen = camera.requests.map((r) => [r.method, r.uri, r.authorized])
    expect(seen).toEqual([
      ['OPTIONS', camera.url, false],
      ['OPTIONS', camera.url, true],
      ['DESCRIBE', camera.url, true],
      ['SETUP', `${camera.url}/track1`, true],
      ['PLAY', camera.url, true],
      ['GET_PARAMETER', camera.url, true],
    ])
    // The proxy numbers its own requests: the retried one got a fresh CSeq.
    expect(camera.requests.map((r) => r.cseq)).toEqual(['1', '2', '3', '4', '5', '6'])
    expect(camera.requests[5]!.authorization).toMatch(/^Digest .*nc=00000005/)
    expect(lease.failure).toBeNull()
    expect(proxy.stats()).toMatchObject({ openConnections: 1, interleavedFramesFromCamera: 60 })
    // Logging the proxy or a lease in use shows no credentials (they live in a closure only).
    for (const o of [proxy, lease]) expect(inspect(o, { depth: 12 })).not.toContain(creds.password)
  })

  it('answers Basic, and Digest without qop across a nonce change (stale=true)', async () => {
    let { camera, lease } = await setup({
      auth: { scheme: 'basic', ...creds },
      media: { kind: 'dummy', fps: 10, frames: 0, size: sizes },
    })
    let client = await rtspClient(lease.url)
    expect((await client.request('OPTIONS')).startLine).toBe('RTSP/1.0 200 OK')
    expect((await client.request('DESCRIBE')).startLine).toBe('RTSP/1.0 200 OK')
    expect(camera.requests.map((r) => r.authorized)).toEqual([false, true, true])
    expect(camera.requests[2]!.authorization).toBe(
      `Basic ${Buffer.from('admin:S3cret-pass').toString('base64')}`,
    )
    await proxy!.close()
    await camera.close()
    ;({ camera, lease } = await setup({
      auth: { scheme: 'digest', rotateNonceAfter: 2, ...creds },
      media: { kind: 'dummy', fps: 10, frames: 0, size: sizes },
    }))
    client = await rtspClient(lease.url)
    for (const m of ['OPTIONS', 'DESCRIBE', 'OPTIONS', 'DESCRIBE', 'OPTIONS']) {
      expect((await client.request(m)).startLine).toBe('RTSP/1.0 200 OK')
    }
    expect(camera.requests.map((r) => r.authorized)).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ])
    expect(lease.failure).toBeNull()
  })

  it('surfaces refused credentials as auth-failed, and a camera asking for credentials none are set for', async () => {
    const refused = await setup(
      {
        auth: { scheme: 'digest', qop: true, ...creds },
        media: { kind: 'dummy', fps: 10, frames: 0, size: sizes },
      },
      { username: 'admin', password: 'wrong-one' },
    )
    const { camera } = refused
    let { lease } = refused
    let client = await rtspClient(lease.url)
    const answer = await client.request('OPTIONS')
    expect(answer.startLine).toBe('RTSP/1.0 401 Unauthorized')
    expect(getHeader(answer, 'CSeq')).toBe('1')
    expect(camera.requests).toHaveLength(2)
    expect(lease.failure).toMatchObject({
      reason: 'auth-failed',
      message: 'The camera refused the user name or password',
    })
    await proxy!.close()
    await camera.close()
    ;({ lease } = await setup(
      { auth: { scheme: 'basic', ...creds }, media: { kind: 'dummy', fps: 10, frames: 0, size: sizes } },
      {},
    ))
    client = await rtspClient(lease.url)
    expect((await client.request('OPTIONS')).startLine).toBe('RTSP/1.0 401 Unauthorized')
    expect(lease.failure?.message).toBe('The camera asks for a user name and password, and none is set')
  })

  it('refuses connections without a live lease, and a second connection on a lease in use', async () => {
    const { camera, proxy, lease } = await setup({
      media: { kind: 'dummy', fps: 10, frames: 0, size: sizes },
    })
    const stranger = await rtspClient(`rtsp://127.0.0.1:${proxy.port}/guessed/stream`)
    expect((await stranger.request('OPTIONS')).startLine).toBe('RTSP/1.0 403 Forbidden')
    await waitFor(() => stranger.isClosed(), 'refused connection closed')

    const first = await rtspClient(lease.url)
    expect((await first.request('OPTIONS')).startLine).toBe('RTSP/1.0 200 OK')
    const second = await rtspClient(lease.url)
    expect((await second.request('OPTIONS')).startLine).toBe('RTSP/1.0 403 Forbidden')
    expect(lease.failure?.message).toMatch(/Another program connected/)
    expect(camera.connections).toBe(1)

    lease.release()
    await waitFor(() => first.isClosed(), 'released lease closes its connection')
    const late = await rtspClient(lease.url)
    expect((await late.request('OPTIONS')).startLine).toBe('RTSP/1.0 403 Forbidden')
    expect(proxy.stats().refusedConnections).toBe(3)
    expect(camera.connections).toBe(1)
  })

  it('closes both sides when either closes', async () => {
    const { camera, lease } = await setup({ media: { kind: 'dummy', fps: 10, frames: 0, size: sizes } })
    const a = await rtspClient(lease.url)
    await a.request('OPTIONS')
    expect(camera.open()).toBe(1)
    a.socket.destroy()
    await waitFor(() => camera.open() === 0, 'camera side closed after the client')
    const b = await rtspClient(lease.url)
    await b.request('OPTIONS')
    camera.dropConnections()
    await waitFor(() => b.isClosed(), 'client side closed after the camera')
    expect(lease.failure?.reason).toBe('disconnected')
  })

  it('passes the camera’s absolute URIs through, and reports an unreachable camera in the reason phrase', async () => {
    const { camera, lease } = await setup({
      absoluteContentBase: true,
      media: { kind: 'dummy', fps: 10, frames: 0, size: sizes },
    })
    const client = await rtspClient(lease.url)
    const d = await client.request('DESCRIBE')
    expect(getHeader(d, 'Content-Base')).toBe(`${camera.url}/`)
    await client.request('SETUP', `${camera.url}/track1`, ['Transport: RTP/AVP/TCP;unicast;interleaved=0-1'])
    expect(camera.requests.at(-1)?.uri).toBe(`${camera.url}/track1`)

    const closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port
        s.close(() => resolve(port))
      })
    })
    const dead = await RtspAuthProxy.start({ cameraUrl: `rtsp://127.0.0.1:${closedPort}/x` })
    try {
      const deadLease = dead.lease()
      const c = await rtspClient(deadLease.url)
      expect((await c.request('OPTIONS')).startLine).toBe('RTSP/1.0 503 Connection refused')
      expect(deadLease.failure).toMatchObject({ reason: 'unreachable' })
    } finally {
      await dead.close()
    }
  })

  it('takes credentials out of the camera URL, and keeps its path and query off the lease URL', async () => {
    camera = await startTestCamera({
      auth: { scheme: 'basic', ...creds },
      media: { kind: 'dummy', fps: 10, frames: 0, size: sizes },
    })
    // Some cameras take credentials in the query too: none of it may reach ffmpeg's command line.
    const query = '?user=admin&password=S3cret-pass&channel=1'
    proxy = await RtspAuthProxy.start({
      cameraUrl: `${camera.url.replace('rtsp://', 'rtsp://admin:S3cret-pass@')}${query}`,
    })
    const lease = proxy.lease()
    expect(lease.url).not.toMatch(/admin|S3cret|stream|channel/)
    const client = await rtspClient(lease.url)
    expect((await client.request('OPTIONS')).startLine).toBe('RTSP/1.0 200 OK')
    await client.request('SETUP', `${lease.url}/track1`, ['Transport: RTP/AVP/TCP;unicast;interleaved=0-1'])
    // What ffmpeg would have sent the camera itself: its URL, plus "/track1" (after the query, as ffmpeg does).
    expect(camera.requests.slice(1).map((r) => r.uri)).toEqual([
      `${camera.url}${query}`,
      `${camera.url}${query}/track1`,
    ])
    await expect(RtspAuthProxy.start({ cameraUrl: 'http://camera/x' })).rejects.toThrow(/rtsp:\/\//)
  })

  it('maps a camera URL ending in a slash as ffmpeg would append to it', async () => {
    camera = await startTestCamera({ media: { kind: 'dummy', fps: 10, frames: 0, size: sizes } })
    proxy = await RtspAuthProxy.start({ cameraUrl: `${camera.url}/` })
    const lease = proxy.lease()
    expect(lease.url.endsWith('/')).toBe(true)
    const client = await rtspClient(lease.url)
    await client.request('OPTIONS')
    await client.request('SETUP', `${lease.url}track1`, ['Transport: RTP/AVP/TCP;unicast;interleaved=0-1'])
    expect(camera.requests.map((r) => r.uri)).toEqual([`${camera.url}/`, `${camera.url}/track1`])
  })
})

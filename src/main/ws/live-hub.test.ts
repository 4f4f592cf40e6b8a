import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import type { AddressInfo } from 'node:net'
import type { Socket } from 'node:net'
import { WsLiveHub } from './live-hub'
import { waitFor } from './live-test-client'

/** A real ws server on loopback whose server-side sockets join the hub. */
async function harness(hub: WsLiveHub) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((r) => wss.once('listening', () => r()))
  let n = 0
  wss.on('connection', (socket) =>
    hub.add(socket, { username: `u${n}`, role: n++ === 0 ? 'admin' : 'guard' }),
  )
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`
  const connect = async () => {
    const ws = new WebSocket(url)
    const got: string[] = []
    ws.on('message', (d) => got.push(String(d)))
    await new Promise<void>((r, j) => {
      ws.once('open', () => r())
      ws.once('error', j)
    })
    return { ws, got }
  }
  return { wss, connect }
}

describe('WsLiveHub', () => {
  let cleanup: (() => Promise<void>) | undefined
  afterEach(async () => {
    await cleanup?.()
    cleanup = undefined
  })

  it('sends one serialization to everyone allowed; adminOnly reaches admins only', async () => {
    const hub = new WsLiveHub()
    const { wss, connect } = await harness(hub)
    const admin = await connect()
    const guard = await connect()
    cleanup = async () => {
      admin.ws.close()
      guard.ws.close()
      await new Promise<void>((r) => wss.close(() => r()))
    }
    await waitFor(() => hub.subscribers === 2, 'two subscribers')
    hub.publish({ type: 'stats', stats: { a: 1 } }, { adminOnly: true })
    hub.publish({ type: 'camera.status', cameraId: 1, online: true })
    await waitFor(() => admin.got.length === 2 && guard.got.length === 1, 'delivery')
    expect(guard.got).toEqual([JSON.stringify({ type: 'camera.status', cameraId: 1, online: true })])
    expect(hub.stats()).toMatchObject({ subscribers: 2, admins: 1, published: 2, dropped: 0 })
    guard.ws.close()
    await waitFor(() => hub.subscribers === 1, 'the closed subscriber to leave')
  })

  const pausedPair = async (hub: WsLiveHub) => {
    const { wss, connect } = await harness(hub)
    const healthy = await connect()
    const stuck = await connect()
    cleanup = async () => {
      healthy.ws.close()
      stuck.ws.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
    }
    await waitFor(() => hub.subscribers === 2, 'two subscribers')
    // The stuck client never reads again: the kernel buffers fill, then the station's.
    ;(stuck.ws as unknown as { _socket: Socket })._socket.pause()
    return { healthy, stuck }
  }

  it('skips messages for a subscriber that stops reading, buffering at most one message past the soft bound', async () => {
    const soft = 64 * 1024
    const hub = new WsLiveHub({ softLimitBytes: soft, hardLimitBytes: 64 * 1024 * 1024, maxLagMs: 60_000 })
    const { healthy } = await pausedPair(hub)
    const size = 48 * 1024
    const blob = 'x'.repeat(size)
    let maxBuffered = 0
    let i = 0
    for (; i < 5000 && hub.stats().dropped < 50; i++) {
      hub.publish({ type: 'stats', stats: { i, blob } })
      maxBuffered = Math.max(maxBuffered, hub.bufferedBytes())
      // Let the healthy client drain, so only the stuck one lags.
      if (i % 4 === 3) await new Promise((r) => setTimeout(r, 1))
    }
    expect(hub.stats().dropped).toBe(50)
    expect(hub.stats().slowDisconnects).toBe(0)
    // Both sockets together: the stuck one never holds more than one message past the soft bound.
    expect(maxBuffered).toBeLessThanOrEqual(2 * (soft + size + 1024))
    const last = i - 1
    await waitFor(
      () => healthy.got.some((m) => m.includes(`"i":${last},`)),
      'the healthy client to get everything',
    )
  })

  it('disconnects a subscriber whose buffer passes the hard bound', async () => {
    const soft = 64 * 1024
    const hard = 256 * 1024
    const hub = new WsLiveHub({ softLimitBytes: soft, hardLimitBytes: hard, maxLagMs: 60_000 })
    const { healthy } = await pausedPair(hub)
    // Messages bigger than the hard bound: once the kernel buffers are full, one of them lands in the
    // station's buffer and the next publish cuts the stuck client off.
    const blob = 'y'.repeat(hard + 1024)
    let maxBuffered = 0
    for (let i = 0; i < 1000 && hub.stats().slowDisconnects === 0; i++) {
      hub.publish({ type: 'stats', stats: { i, blob } })
      maxBuffered = Math.max(maxBuffered, hub.bufferedBytes())
      await new Promise((r) => setTimeout(r, 2))
    }
    expect(hub.stats().slowDisconnects).toBe(1)
    expect(hub.subscribers).toBe(1)
    expect(maxBuffered).toBeLessThanOrEqual(2 * (soft + blob.length + 1024))
    hub.publish({ type: 'stats', stats: { last: true } })
    await waitFor(() => healthy.got.some((m) => m.includes('"last":true')), 'the healthy client to keep up')
  })

  it('cuts off a subscriber lagging past maxLagMs even without a hard-bound breach', async () => {
    const hub = new WsLiveHub({ softLimitBytes: 16 * 1024, hardLimitBytes: 64 * 1024 * 1024, maxLagMs: 200 })
    const { wss, connect } = await harness(hub)
    const stuck = await connect()
    cleanup = async () => {
      stuck.ws.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
    }
    await waitFor(() => hub.subscribers === 1, 'a subscriber')
    ;(stuck.ws as unknown as { _socket: Socket })._socket.pause()
    const blob = 'z'.repeat(256 * 1024)
    await waitFor(async () => {
      hub.publish({ type: 'stats', stats: { blob } })
      await new Promise((r) => setTimeout(r, 5))
      return hub.stats().slowDisconnects === 1
    }, 'the lagging subscriber to be cut off')
    expect(hub.subscribers).toBe(0)
  })

  /** Makes the stuck client miss `n` messages (the healthy one gets them all); answers the last index sent. */
  const missMessages = async (hub: WsLiveHub, n: number) => {
    const blob = 'x'.repeat(48 * 1024)
    let i = 0
    for (; i < 5000 && hub.stats().dropped < n; i++) {
      hub.publish({ type: 'stats', stats: { i, blob } })
      if (i % 4 === 3) await new Promise((r) => setTimeout(r, 1))
    }
    expect(hub.stats().dropped).toBe(n)
    return i - 1
  }
  const resyncsIn = (got: string[]) =>
    got.map((m) => JSON.parse(m) as { type: string; missed?: number }).filter((m) => m.type === 'resync')

  it('tells a subscriber that missed messages to resync once its buffer drained, without waiting for news', async () => {
    const hub = new WsLiveHub({
      softLimitBytes: 64 * 1024,
      hardLimitBytes: 64 * 1024 * 1024,
      maxLagMs: 60_000,
    })
    const { healthy, stuck } = await pausedPair(hub)
    const last = await missMessages(hub, 20)
    // It reads again; nothing more is published: the hub notices the drained buffer by itself.
    ;(stuck.ws as unknown as { _socket: Socket })._socket.resume()
    await waitFor(() => resyncsIn(stuck.got).length === 1, 'a resync message')
    expect(resyncsIn(stuck.got)).toEqual([{ type: 'resync', missed: 20 }])
    // It comes after everything the subscriber did receive, and once only.
    expect(JSON.parse(stuck.got.at(-1)!)).toEqual({ type: 'resync', missed: 20 })
    expect(stuck.got.length).toBe(last + 1 - 20 + 1)
    hub.publish({ type: 'camera.status', cameraId: 1, online: true })
    await waitFor(() => stuck.got.at(-1)!.includes('camera.status'), 'the next message')
    expect(resyncsIn(stuck.got)).toHaveLength(1)
    await waitFor(() => healthy.got.some((m) => m.includes('camera.status')), 'the healthy client')
    expect(resyncsIn(healthy.got)).toHaveLength(0)
    expect(hub.stats()).toMatchObject({ resyncs: 1, slowDisconnects: 0 })
  })

  it('sends the resync before the first message a caught-up subscriber gets', async () => {
    const hub = new WsLiveHub({
      softLimitBytes: 64 * 1024,
      hardLimitBytes: 64 * 1024 * 1024,
      maxLagMs: 60_000,
    })
    const { stuck } = await pausedPair(hub)
    await missMessages(hub, 5)
    ;(stuck.ws as unknown as { _socket: Socket })._socket.resume()
    // Publish as soon as the buffer is back under the bound, racing the hub's own check.
    await waitFor(() => hub.bufferedBytes() <= 64 * 1024, 'the buffer to drain')
    hub.publish({ type: 'camera.status', cameraId: 2, online: false })
    await waitFor(() => stuck.got.some((m) => m.includes('camera.status')), 'the new message')
    const types = stuck.got.map((m) => (JSON.parse(m) as { type: string }).type)
    expect(types.filter((t) => t === 'resync')).toHaveLength(1)
    expect(types.indexOf('resync')).toBeLessThan(types.indexOf('camera.status'))
  })

  it('drops peers that stop answering pings', async () => {
    const hub = new WsLiveHub()
    const { wss, connect } = await harness(hub)
    const peer = await connect()
    cleanup = async () => {
      peer.ws.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
    }
    await waitFor(() => hub.subscribers === 1, 'a subscriber')
    hub.heartbeat()
    await new Promise((r) => setTimeout(r, 50))
    hub.heartbeat() // it answered the first ping (ws clients pong automatically)
    expect(hub.subscribers).toBe(1)
    ;(peer.ws as unknown as { _socket: Socket })._socket.pause()
    await new Promise((r) => setTimeout(r, 50))
    hub.heartbeat()
    hub.heartbeat()
    expect(hub.subscribers).toBe(0)
    expect(hub.stats().deadDisconnects).toBe(1)
  })
})

/** The web transport (HTTP + /ws/live) against a real station listening on 127.0.0.1. */
import { WebSocket } from 'ws'
import { transportContract } from '../../renderer/src/transport/contract-suite'
import { WebTransport, type SocketLike } from '../../renderer/src/transport/web'
import { stationHarness } from './harness.test-support'

transportContract('web', () =>
  stationHarness(async (station) => {
    const { url } = await station.start()
    return () =>
      new WebTransport({
        baseUrl: url,
        wsBaseUrl: url.replace(/^http/, 'ws'),
        fetch: (u, init) => fetch(u, init),
        createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
        initialMs: 50,
        maxMs: 200,
      })
  }),
)

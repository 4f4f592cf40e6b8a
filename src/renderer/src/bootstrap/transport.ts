/** Picks the transport: the preload's IPC bridge in the desktop app, HTTP and WebSocket in a browser. */
import type { StationBridge } from '../../../shared/contract'
import { IpcTransport } from '../transport/ipc'
import type { Transport } from '../transport/types'
import { WebTransport, type SocketLike } from '../transport/web'

declare global {
  interface Window {
    station?: StationBridge
  }
}

export function wsOrigin(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`
}

export function createTransport(): Transport {
  if (window.station?.kind === 'ipc') return new IpcTransport(window.station)
  return new WebTransport({
    baseUrl: '',
    wsBaseUrl: wsOrigin(),
    fetch: (url, init) => fetch(url, { ...init, credentials: 'omit' }),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  })
}

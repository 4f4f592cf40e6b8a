/**
 * The video worker: every tile's WebSocket, decoding and drawing (onto the OffscreenCanvas its tile
 * handed over), off the page's main thread. The page asks for stream tokens and sizes; the worker
 * answers with each tile's figures once a second and the camera's status messages.
 */
import { FramePump, type Size } from './frame-pump'
import type { FromWorker, ToWorker } from './frame-worker-protocol'

interface Scope {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null
  postMessage(m: FromWorker): void
}
const scope = self as unknown as Scope
const post = (m: FromWorker) => scope.postMessage(m)

interface Entry {
  pump: FramePump
  box: Size | null
}
const pumps = new Map<number, Entry>()
const tokenRequests = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void }>()
let nextReq = 1

function token(id: number, refused: string | undefined): Promise<string> {
  const req = nextReq++
  return new Promise((resolve, reject) => {
    tokenRequests.set(req, { resolve, reject })
    post({ op: 'token', id, req, refused })
  })
}

scope.onmessage = (e) => {
  const m = e.data
  switch (m.op) {
    case 'open': {
      pumps.get(m.id)?.pump.stop()
      // The entry exists before its pump, which reads the latest size through it.
      const entry = { box: m.box } as Entry
      entry.pump = new FramePump({
        cameraId: m.cameraId,
        fps: m.fps,
        canvas: m.canvas,
        wsBaseUrl: m.wsBaseUrl,
        token: (refused) => token(m.id, refused),
        box: () => entry.box,
        onStats: (stats) => post({ op: 'stats', id: m.id, stats }),
        onStatus: (status) => post({ op: 'status', id: m.id, status }),
      })
      pumps.set(m.id, entry)
      entry.pump.start()
      return
    }
    case 'size': {
      const entry = pumps.get(m.id)
      if (entry) entry.box = m.box
      return
    }
    case 'fps':
      return pumps.get(m.id)?.pump.setFps(m.fps)
    case 'close':
      pumps.get(m.id)?.pump.stop()
      pumps.delete(m.id)
      return
    case 'token': {
      const r = tokenRequests.get(m.req)
      tokenRequests.delete(m.req)
      if (!r) return
      if (m.token) r.resolve(m.token)
      else r.reject(new Error(m.error ?? 'no stream token'))
      return
    }
  }
}

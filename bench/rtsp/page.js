// The video-rtsp benchmark's page (bench/rtsp/browser.ts serves it at the station's origin, bundled with
// Vite): the renderer's MSE player (createMseStream) on one <video>, and, for every frame Chromium presents
// (requestVideoFrameCallback), the frame number burnt into the picture (src/main/video/sim/frame-code.ts)
// with the time it is displayed. Driven from Node through `window.bench`.
/* global document, window, location */
import { createMseStream } from '../../src/renderer/src/video/mse/index.ts'
import { frameCodeLayout, frameCodeRegion, readFrameCode } from '../../src/main/video/sim/frame-code.ts'

const video = document.querySelector('video')
const canvas = document.createElement('canvas')
const ctx = canvas.getContext('2d', { willReadFrequently: true })
let cfg = null
let layout = null
let region = null
let open = null
let samples = []

function streamToken(cameraId) {
  return fetch('/api/v1/stream/token', {
    method: 'POST',
    headers: { authorization: `Bearer ${cfg.guardToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ cameraId }),
  })
    .then((r) => r.json())
    .then((j) => j.data.token)
}

/** Plays a camera; `onFrame(now, metadata)` for every presented frame until `stop()`. */
function play(cameraId, onFrame) {
  const stream = createMseStream({
    video,
    cameraId,
    stream: 'main',
    wsBaseUrl: `ws://${location.host}`,
    token: () => streamToken(cameraId),
    hideDelayMs: 0,
  })
  let active = true
  const each = (now, meta) => {
    if (!active) return
    onFrame(now, meta)
    video.requestVideoFrameCallback(each)
  }
  video.requestVideoFrameCallback(each)
  stream.start()
  return {
    stream,
    stop() {
      active = false
      stream.stop()
    },
  }
}

window.bench = {
  setup(c) {
    cfg = c
    layout = frameCodeLayout(c.width, c.height)
    region = frameCodeRegion(layout)
    canvas.width = region.width
    canvas.height = region.height
  },
  /** Opens the camera, answers the ms to its first presented frame, and closes it. */
  firstFrame(cameraId, timeoutMs) {
    const t0 = performance.now()
    return new Promise((resolve, reject) => {
      let p = null
      const timer = setTimeout(() => {
        const why = JSON.stringify({ status: p.stream.status(), stats: p.stream.stats() })
        p.stop()
        reject(new Error(`no frame within ${timeoutMs} ms: ${why}`))
      }, timeoutMs)
      p = play(cameraId, () => {
        clearTimeout(timer)
        p.stop()
        resolve(performance.now() - t0)
      })
    })
  },
  /** Plays the camera and records [code or null, display time (epoch ms)] for every presented frame. */
  startLatency(cameraId) {
    samples = []
    open = play(cameraId, (now, meta) => {
      ctx.drawImage(video, region.x, region.y, region.width, region.height, 0, 0, region.width, region.height)
      const code = readFrameCode(ctx.getImageData(0, 0, region.width, region.height).data, layout)
      samples.push([code, performance.timeOrigin + (meta.expectedDisplayTime ?? now)])
    })
  },
  /** The samples since the last call. */
  takeSamples() {
    const s = samples
    samples = []
    return s
  },
  stats: () => (open ? open.stream.stats() : null),
  stop() {
    open?.stop()
    open = null
  },
}
window.benchReady = true

// The MSE player's test page script (player-page.html, served by fmp4-server.ts): one tile, driven from
// mse-player.spec.ts through `window.harness`. A file, not an inline script: the page runs under the
// renderer's own Content-Security-Policy (script-src 'self').
/* global document, window, location, MediaSource, SourceBuffer */
import { createMseStream } from '/mse.js'

const video = document.querySelector('video')
const canvas = document.createElement('canvas')
canvas.width = 160
canvas.height = 90
const ctx = canvas.getContext('2d', { willReadFrequently: true })
let stream = null
let latency = []
let sampler = null
/** What the stream's token function was called with (the refused token, or undefined), in order. */
const tokenCalls = []

window.harness = {
  /**
   * `opts.tokens`: hand out `stale-token`, and `fresh-token` once the stream gave a refused one back;
   * `opts.hevc`: the stream's own `hevc` option.
   */
  start(cameraId, player = {}, opts = {}) {
    stream = createMseStream({
      video,
      cameraId,
      wsBaseUrl: `ws://${location.host}`,
      hideDelayMs: 0,
      player,
      ...(opts.tokens
        ? {
            token: async (refused) => {
              tokenCalls.push(refused ?? null)
              return refused ? 'fresh-token' : 'stale-token'
            },
          }
        : {}),
      ...(opts.hevc !== undefined ? { hevc: opts.hevc } : {}),
    })
    stream.start()
  },
  tokenCalls: () => tokenCalls,
  state() {
    return {
      status: stream.status(),
      stats: stream.stats(),
      currentTime: video.currentTime,
      src: video.getAttribute('src'),
      bufferedStart: video.buffered.length ? video.buffered.start(0) : null,
    }
  },
  /** A digest of the picture the video shows now, through a canvas (drawImage of the video). */
  digest() {
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height)
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data
    let h = 0
    for (let i = 0; i < data.length; i += 7) h = (h * 31 + data[i]) | 0
    return h
  },
  /** Samples the latency to the live edge every 100 ms from now on. */
  sampleLatency() {
    latency = []
    clearInterval(sampler)
    sampler = setInterval(() => latency.push(stream.stats().latencyS), 100)
  },
  latency: () => latency,
  setHidden(hidden) {
    video.style.display = hidden ? 'none' : 'block'
  },
  /** As if the window were minimised: document.visibilityState and its event. */
  setPageHidden(hidden) {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    })
    document.dispatchEvent(new Event('visibilitychange'))
  },
  /** Keeps the page's main thread busy (a long render, a slow desk): messages pile up meanwhile. */
  block(ms) {
    const end = performance.now() + ms
    while (performance.now() < end);
  },
  /** Makes the next appendBuffer after `after` more appends throw QuotaExceededError, once. */
  failAppendOnce(after) {
    const append = SourceBuffer.prototype.appendBuffer
    let n = 0
    SourceBuffer.prototype.appendBuffer = function (data) {
      if (++n === after) throw new DOMException('full', 'QuotaExceededError')
      return append.call(this, data)
    }
  },
  canPlay: (codec) => MediaSource.isTypeSupported(`video/mp4; codecs="${codec}"`),
}
window.harnessReady = true

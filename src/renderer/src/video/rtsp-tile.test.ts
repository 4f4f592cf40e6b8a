import { describe, expect, it } from 'vitest'
import type { MseStreamStatus } from './mse/mse-stream'
import { playsThroughMse, rtspTileView, tileStream, videoLabel } from './rtsp-tile'

type StatusPatch = Partial<Omit<MseStreamStatus, 'player'>> & { player?: Partial<MseStreamStatus['player']> }

const status = ({ player, ...o }: StatusPatch): MseStreamStatus => ({
  socket: 'open',
  paused: false,
  stream: 'main',
  mode: 'direct',
  size: null,
  error: null,
  closed: null,
  retryAt: null,
  ...o,
  player: { mode: 'playing', codec: 'avc1.640028', message: null, ...player },
})

describe('which cameras play through MSE', () => {
  it('RTSP cameras do, JPEG cameras keep their canvas', () => {
    expect(playsThroughMse('rtsp')).toBe(true)
    for (const kind of ['push', 'mjpeg', 'snapshot'] as const) expect(playsThroughMse(kind)).toBe(false)
  })
})

describe('tileStream', () => {
  it('grid tiles ask for the sub stream when the camera has one', () => {
    expect(tileStream({ kind: 'rtsp', hasSubStream: true }, false)).toBe('sub')
    expect(tileStream({ kind: 'rtsp', hasSubStream: false }, false)).toBe('main')
  })

  it('a camera view without hasSubStream (an older station) has no sub stream', () => {
    expect(tileStream({ kind: 'rtsp' }, false)).toBe('main')
  })

  it('a tile that fills the screen asks for the main stream', () => {
    expect(tileStream({ kind: 'rtsp', hasSubStream: true }, true)).toBe('main')
    expect(tileStream({ kind: 'rtsp' }, true)).toBe('main')
  })
})

describe('videoLabel', () => {
  it('names the codec, and the fallback the station chose', () => {
    expect(videoLabel('avc1.640028', 'direct')).toBe('H.264')
    expect(videoLabel('avc1.640028', null)).toBe('H.264')
    expect(videoLabel('hvc1.1.6.L93.B0', 'direct')).toBe('H.265')
    expect(videoLabel('hev1.1.6.L93.B0', 'direct')).toBe('H.265')
    expect(videoLabel('avc1.4d401f', 'sub')).toBe('H.264 · sub stream (main is H.265)')
    expect(videoLabel('avc1.42e01e', 'transcoded')).toBe('H.264 · transcoded')
  })

  it('says nothing before the station announced a codec', () => {
    expect(videoLabel(null, null)).toBeNull()
  })
})

describe('rtspTileView', () => {
  it('a playing stream: its label, no problem', () => {
    expect(rtspTileView(status({ mode: 'sub' }))).toEqual({
      label: 'H.264 · sub stream (main is H.265)',
      problem: null,
      playing: true,
    })
  })

  it('a codec this page cannot decode is said on the tile, never a silent black picture', () => {
    const v = rtspTileView(
      status({
        socket: 'closed',
        player: {
          mode: 'unsupported',
          codec: 'hvc1.1.6.L93.B0',
          message: "this camera's codec (H.265) cannot be decoded here",
        },
      }),
    )
    expect(v).toEqual({
      label: 'H.265',
      problem: "This camera's video (H.265) cannot be shown here",
      playing: false,
    })
  })

  it("the station's error message, with the retry", () => {
    const v = rtspTileView(
      status({
        error: 'unsupported codec.',
        retryAt: 1,
        player: { mode: 'idle', codec: null },
        mode: null,
      }),
    )
    expect(v).toEqual({
      label: null,
      problem: "This camera's video cannot be shown here: unsupported codec. Retrying…",
      playing: false,
    })
  })

  it('a decode error (SourceBuffer, video element) is said until video plays again', () => {
    const v = rtspTileView(
      status({ player: { mode: 'error', message: 'cannot decode the video: PIPELINE_ERROR_DECODE' } }),
    )
    expect(v.problem).toBe(
      "This camera's video (H.264) cannot be shown here: cannot decode the video: PIPELINE_ERROR_DECODE.",
    )
    expect(v.playing).toBe(false)
  })

  it('connecting or paused is no problem', () => {
    expect(rtspTileView(status({ player: { mode: 'starting' } })).problem).toBeNull()
    expect(rtspTileView(status({ paused: true, player: { mode: 'paused' } })).problem).toBeNull()
  })
})

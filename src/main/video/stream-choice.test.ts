/**
 * Which stream a WebSocket video viewer ends up on: H.264 as asked; H.265 as is for a viewer that decodes
 * it; otherwise the camera's sub stream, then the station's transcode, and a plain error when nothing is
 * left. The viewer is a real WsViewer over a stand-in socket; the channel is a stand-in that answers each
 * attach with the init segment of the stream attached to.
 */
import { EventEmitter } from 'node:events'
import type { WebSocket } from 'ws'
import { describe, expect, it } from 'vitest'
import type { AttachOptions, Consumer } from './pipeline/consumer'
import type { InitSegment, VideoCodec } from './pipeline/units'
import type { StreamName } from './sources/registry'
import { fallback, firstChoice } from './stream-choice'
import { WsViewer, type ViewerChannel } from './viewers'

class FakeSocket extends EventEmitter {
  readonly OPEN = 1
  readonly CONNECTING = 0
  readyState = 1
  bufferedAmount = 0
  readonly texts: Record<string, unknown>[] = []
  readonly binaries: Buffer[] = []
  closedWith: [number, string] | undefined
  send(data: string | Buffer, opts?: unknown, cb?: (err?: Error) => void): void {
    if (typeof data === 'string') this.texts.push(JSON.parse(data) as Record<string, unknown>)
    else this.binaries.push(data)
    const done = typeof opts === 'function' ? (opts as () => void) : cb
    done?.()
  }
  close(code: number, reason: string): void {
    this.closedWith = [code, reason]
    this.readyState = 3
  }
  terminate(): void {}
  ping(): void {}
}

function channel(codecs: Partial<Record<StreamName, VideoCodec>>) {
  const attached: StreamName[] = []
  const ch: ViewerChannel = {
    hasStream: (s) => s in codecs,
    attach(consumer: Consumer, opts?: AttachOptions & { stream?: StreamName }) {
      const stream = opts?.stream ?? 'main'
      attached.push(stream)
      const codec = codecs[stream] ?? codecs.main!
      const init: InitSegment = {
        kind: 'init',
        codec,
        codecString: codec === 'h264' ? 'avc1.640028' : 'hvc1.1.6.L93.B0',
        data: Buffer.from(`init ${stream}`),
        timescale: 90_000,
        width: stream === 'main' ? 1920 : 640,
        height: stream === 'main' ? 1080 : 360,
      }
      consumer.deliver(init, () => {})
      return () => {}
    },
  }
  return { ch, attached }
}

function watch(codecs: Partial<Record<StreamName, VideoCodec>>, asked: 'main' | 'sub', hevc: boolean) {
  const ws = new FakeSocket()
  const viewer = new WsViewer(ws as unknown as WebSocket, undefined, 30_000, { hevc })
  const { ch, attached } = channel(codecs)
  viewer.watch(ch, firstChoice(asked))
  return { ws, attached, init: ws.texts.find((t) => t.type === 'init') }
}

describe('a video viewer', () => {
  it('gets H.264 as asked, named in the init message before the init segment', () => {
    const { ws, attached, init } = watch({ main: 'h264', sub: 'h264' }, 'main', false)
    expect(attached).toEqual(['main'])
    expect(init).toEqual({
      type: 'init',
      codec: 'avc1.640028',
      stream: 'main',
      mode: 'direct',
      width: 1920,
      height: 1080,
    })
    expect(ws.binaries[0]!.toString()).toBe('init main')
  })

  it('gets H.265 as is when it can decode it', () => {
    const { attached, init } = watch({ main: 'h265', sub: 'h264' }, 'main', true)
    expect(attached).toEqual(['main'])
    expect(init).toMatchObject({ codec: 'hvc1.1.6.L93.B0', mode: 'direct' })
  })

  it("falls back from an H.265 main stream to the camera's H.264 sub stream", () => {
    const { ws, attached, init } = watch({ main: 'h265', sub: 'h264', transcoded: 'h264' }, 'main', false)
    expect(attached).toEqual(['main', 'sub'])
    expect(init).toMatchObject({ codec: 'avc1.640028', stream: 'sub', mode: 'sub' })
    // Nothing of the H.265 stream was sent.
    expect(ws.binaries.map(String)).toEqual(['init sub'])
  })

  it('falls back to the transcode when the sub stream is H.265 too, or there is none', () => {
    const both = watch({ main: 'h265', sub: 'h265', transcoded: 'h264' }, 'main', false)
    expect(both.attached).toEqual(['main', 'sub', 'transcoded'])
    expect(both.init).toMatchObject({ stream: 'sub', mode: 'transcoded' })
    const noSub = watch({ main: 'h265', transcoded: 'h264' }, 'sub', false)
    expect(noSub.attached).toEqual(['sub', 'transcoded'])
    expect(noSub.init).toMatchObject({ mode: 'transcoded' })
  })

  it('is told plainly, and closed, when nothing it can decode is left', () => {
    const { ws, init } = watch({ main: 'h265', transcoded: 'h265' }, 'main', false)
    expect(init).toBeUndefined()
    expect(ws.texts.at(-1)).toEqual({
      type: 'error',
      reason: "This camera's video (H.265) cannot be shown here",
    })
    expect(ws.closedWith?.[1]).toBe('codec not playable')
  })

  it('fallback order: sub when the camera has one, then the transcode, then nothing', () => {
    expect(fallback({ stream: 'main', mode: 'direct' }, true)).toEqual({ stream: 'sub', mode: 'sub' })
    expect(fallback({ stream: 'main', mode: 'direct' }, false)).toEqual({
      stream: 'transcoded',
      mode: 'transcoded',
    })
    expect(fallback({ stream: 'sub', mode: 'sub' }, true)).toEqual({
      stream: 'transcoded',
      mode: 'transcoded',
    })
    expect(fallback({ stream: 'transcoded', mode: 'transcoded' }, true)).toBeNull()
  })
})

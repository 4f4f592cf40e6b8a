import { describe, expect, it } from 'vitest'
import { canPlayHevc, codecName, mimeFor, unsupportedMessage } from './codecs'
import { parseStreamText } from './stream-protocol'

describe('parseStreamText', () => {
  it('reads init messages, keeping only sane sizes', () => {
    expect(
      parseStreamText('{"type":"init","codec":"avc1.640028","stream":"main","width":1920,"height":1080}'),
    ).toEqual({ type: 'init', codec: 'avc1.640028', stream: 'main', width: 1920, height: 1080 })
    expect(parseStreamText('{"type":"init","codec":"avc1.42e01e","stream":"sub","width":-1}')).toEqual({
      type: 'init',
      codec: 'avc1.42e01e',
      stream: 'sub',
    })
    expect(parseStreamText('{"type":"init","stream":"sub"}')).toBeNull()
  })

  it("reads the station's mode, leaving out one it does not know", () => {
    for (const mode of ['direct', 'sub', 'transcoded'])
      expect(
        parseStreamText(JSON.stringify({ type: 'init', codec: 'avc1.4d401f', stream: 'sub', mode })),
      ).toEqual({ type: 'init', codec: 'avc1.4d401f', stream: 'sub', mode })
    expect(
      parseStreamText('{"type":"init","codec":"avc1.4d401f","stream":"main","mode":"upscaled"}'),
    ).toEqual({ type: 'init', codec: 'avc1.4d401f', stream: 'main' })
  })

  it('reads errors and status, ignores the rest', () => {
    expect(parseStreamText('{"type":"error","reason":"camera offline"}')).toEqual({
      type: 'error',
      reason: 'camera offline',
    })
    expect(parseStreamText('{"type":"status","state":"online","cameraId":1}')).toMatchObject({
      state: 'online',
    })
    expect(parseStreamText('not json')).toBeNull()
    expect(parseStreamText('[1]')).toBeNull()
    expect(parseStreamText('{"type":"hello"}')).toBeNull()
  })
})

describe('codecs', () => {
  it('names codec families for guards', () => {
    expect(codecName('avc1.640028')).toBe('H.264')
    expect(codecName('hvc1.1.6.L93.B0')).toBe('H.265')
    expect(codecName('hev1.1.6.L93.B0')).toBe('H.265')
    expect(codecName('mystery')).toBe('mystery')
    expect(unsupportedMessage('hvc1.1.6.L93.B0')).toBe("this camera's codec (H.265) cannot be decoded here")
    expect(mimeFor('avc1.640028')).toBe('video/mp4; codecs="avc1.640028"')
  })

  it('asks for H.265 as is when the page decodes either tagging of it', () => {
    expect(canPlayHevc(() => false)).toBe(false)
    expect(canPlayHevc((c) => c.startsWith('avc1'))).toBe(false)
    expect(canPlayHevc((c) => c === 'hvc1.1.6.L93.B0')).toBe(true)
    expect(canPlayHevc((c) => c === 'hev1.1.6.L93.B0')).toBe(true)
    // No MediaSource at all (this test runs under Node): no H.265.
    expect(canPlayHevc()).toBe(false)
  })
})

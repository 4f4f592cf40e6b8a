import { describe, expect, it } from 'vitest'
import {
  RtspFramer,
  frameCollector,
  getHeader,
  requestLine,
  serialize,
  setHeader,
  type RtspMessage,
} from './rtsp-message'

function parse(stream: Buffer, sizes: () => number) {
  const messages: RtspMessage[] = []
  const frames: [number, Buffer][] = []
  const views: Buffer[] = []
  const errors: string[] = []
  const collector = frameCollector((ch, p) => frames.push([ch, p]))
  const framer = new RtspFramer({
    message: (m) => messages.push(m),
    interleavedStart: collector.interleavedStart,
    interleavedData: (d) => {
      views.push(d)
      collector.interleavedData(d)
    },
    error: (e) => errors.push(e),
  })
  for (let off = 0; off < stream.length;) {
    const n = Math.max(1, sizes())
    framer.push(stream.subarray(off, off + n))
    off += n
  }
  return { messages, frames, views, errors }
}

const frame = (ch: number, payload: Buffer) =>
  Buffer.concat([Buffer.from([0x24, ch, payload.length >> 8, payload.length & 0xff]), payload])

describe('RtspFramer', () => {
  const sdp = 'v=0\r\nm=video 0 RTP/AVP 96\r\n'
  const stream = Buffer.concat([
    Buffer.from(
      `RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`,
    ),
    frame(0, Buffer.alloc(1500, 1)),
    frame(1, Buffer.alloc(0)),
    Buffer.from('\r\n'), // stray line end between messages
    frame(0, Buffer.alloc(3, 2)),
    Buffer.from('GET_PARAMETER rtsp://cam/x RTSP/1.0\nCSeq: 9\n\n'), // LF-only lines
    frame(0, Buffer.alloc(65535, 3)),
    Buffer.from('RTSP/1.0 401 Unauthorized\r\nCSeq: 4\r\nWWW-Authenticate: Basic realm="x"\r\n\r\n'),
  ])

  it('splits mixed text messages and interleaved frames, whatever the chunking', () => {
    for (const sizes of [() => stream.length, () => 1, () => 7, () => 1400]) {
      const { messages, frames, errors } = parse(stream, sizes)
      expect(errors).toEqual([])
      expect(messages.map((m) => m.startLine)).toEqual([
        'RTSP/1.0 200 OK',
        'GET_PARAMETER rtsp://cam/x RTSP/1.0',
        'RTSP/1.0 401 Unauthorized',
      ])
      expect(messages[0]!.body.toString()).toBe(sdp)
      expect(getHeader(messages[2]!, 'www-authenticate')).toBe('Basic realm="x"')
      expect(requestLine(messages[1]!)).toEqual({
        method: 'GET_PARAMETER',
        uri: 'rtsp://cam/x',
        version: 'RTSP/1.0',
      })
      expect(frames.map(([ch, p]) => [ch, p.length, p[0]])).toEqual([
        [0, 1500, 1],
        [1, 0, undefined],
        [0, 3, 2],
        [0, 65535, 3],
      ])
    }
  })

  it('hands payloads out as views of the input, not copies, also when a frame header is split', () => {
    const { views } = parse(stream, () => stream.length)
    expect(views.length).toBeGreaterThan(0)
    for (const v of views) expect(v.buffer).toBe(stream.buffer)
    const frames = Buffer.concat([frame(0, Buffer.alloc(100, 5)), frame(0, Buffer.alloc(5000, 6))])
    const split = parse(frames, () => 106) // the second header straddles the first two chunks
    expect(split.frames.map(([, p]) => p.length)).toEqual([100, 5000])
    for (const v of split.views) expect(v.buffer).toBe(frames.buffer)
  })

  it('rejects what is not RTSP, and oversized headers or bodies', () => {
    expect(parse(Buffer.from('\x16\x03\x01 TLS hello'), () => 100).errors[0]).toMatch(/not RTSP/)
    expect(parse(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), () => 100).errors[0]).toMatch(/not RTSP/)
    expect(parse(Buffer.from(`OPTIONS * RTSP/1.0\r\nX: ${'a'.repeat(20000)}`), () => 1000).errors[0]).toMatch(
      /headers over/,
    )
    expect(
      parse(Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n'), () => 100).errors[0],
    ).toMatch(/body/)
  })

  it('serializes with headers replaced in place', () => {
    const m: RtspMessage = {
      startLine: 'PLAY rtsp://cam/x RTSP/1.0',
      headers: [
        ['CSeq', '1'],
        ['Session', 'a'],
      ],
      body: Buffer.alloc(0),
    }
    setHeader(m, 'cseq', '7')
    setHeader(m, 'Authorization', 'Basic x')
    expect(serialize(m).toString()).toBe(
      'PLAY rtsp://cam/x RTSP/1.0\r\ncseq: 7\r\nSession: a\r\nAuthorization: Basic x\r\n\r\n',
    )
  })
})

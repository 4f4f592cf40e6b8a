/** Reading RTSP requests and interleaved frames from a TCP byte stream; what a request names. */
import { describe, expect, it } from 'vitest'
import {
  formatResponse,
  MAX_HEAD_BYTES,
  RtspReader,
  type RtspRequest,
  type RtspResponse,
} from './rtsp-messages'
import { pickTcpTransport, requestTarget, sessionId } from './rtsp-requests'

function reader() {
  const got = {
    requests: [] as RtspRequest[],
    responses: [] as RtspResponse[],
    frames: [] as [number, Buffer][],
    errors: [] as string[],
  }
  const r = new RtspReader({
    request: (q) => got.requests.push(q),
    response: (s) => got.responses.push(s),
    interleaved: (ch, d) => got.frames.push([ch, Buffer.from(d)]),
    error: (m) => got.errors.push(m),
  })
  return { r, got }
}

describe('RTSP messages', () => {
  it('reads requests and $ frames however the bytes are cut', () => {
    const rtcp = Buffer.from([0x24, 1, 0, 3, 9, 8, 7])
    const bytes = Buffer.concat([
      Buffer.from('OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n'),
      rtcp,
      Buffer.from(
        'SET_PARAMETER rtsp://h/cam1/main RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 5\r\nSession: ab\r\n\r\nhello',
      ),
      Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 3\r\n\r\n'),
    ])
    for (const step of [1, 3, 7, bytes.length]) {
      const { r, got } = reader()
      for (let i = 0; i < bytes.length; i += step) r.push(bytes.subarray(i, i + step))
      expect(got.errors).toEqual([])
      expect(got.requests.map((q) => [q.method, q.uri, q.headers.get('cseq'), q.body.toString()])).toEqual([
        ['OPTIONS', '*', '1', ''],
        ['SET_PARAMETER', 'rtsp://h/cam1/main', '2', 'hello'],
      ])
      expect(got.frames).toEqual([[1, Buffer.from([9, 8, 7])]])
      expect(got.responses.map((s) => [s.status, s.reason])).toEqual([[200, 'OK']])
    }
  })

  it('gives up on what is not RTSP, and on heads past the bound', () => {
    const junk = reader()
    junk.r.push(Buffer.from('GARBAGE\r\n\r\n'))
    expect(junk.got.errors[0]).toMatch(/not an RTSP request line/)
    const huge = reader()
    huge.r.push(Buffer.alloc(MAX_HEAD_BYTES + 10, 0x41))
    expect(huge.got.errors[0]).toMatch(/too large/)
  })

  it('writes responses with CSeq, Server, Date and Content-Length', () => {
    const text = formatResponse(461, '4', { Session: 'x' }, 'no UDP').toString()
    expect(text).toMatch(
      /^RTSP\/1\.0 461 Unsupported Transport\r\nCSeq: 4\r\nServer: [^\r]+\r\nDate: [^\r]+\r\nSession: x\r\nContent-Length: 6\r\n\r\nno UDP$/,
    )
  })

  it('finds the path and track a URI names', () => {
    expect(requestTarget('rtsp://127.0.0.1:8554/cam1/main')).toEqual({
      path: '/cam1/main',
      track: false,
      origin: 'rtsp://127.0.0.1:8554',
    })
    expect(requestTarget('rtsp://u:p@localhost:1/cam1/main/')).toMatchObject({
      path: '/cam1/main',
      origin: 'rtsp://localhost:1',
    })
    expect(requestTarget('rtsp://h/cam1/sub/trackID=0')).toMatchObject({ path: '/cam1/sub', track: true })
    expect(requestTarget('/cam2/main?x=1')).toMatchObject({ path: '/cam2/main', origin: undefined })
    expect(requestTarget('*')).toBeUndefined()
    expect(requestTarget('http://h/cam1/main')).toBeUndefined()
  })

  it('picks a TCP interleaved transport, and none when only UDP or multicast is offered', () => {
    expect(pickTcpTransport('RTP/AVP/TCP;unicast;interleaved=0-1')).toEqual({ rtp: 0, rtcp: 1 })
    expect(
      pickTcpTransport('RTP/AVP;unicast;client_port=5000-5001, RTP/AVP/TCP;unicast;interleaved=4-5'),
    ).toEqual({ rtp: 4, rtcp: 5 })
    expect(pickTcpTransport('RTP/AVP/TCP;interleaved=2')).toEqual({ rtp: 2, rtcp: 3 })
    expect(pickTcpTransport('RTP/AVP/TCP;unicast')).toEqual({ rtp: 0, rtcp: 1 })
    expect(pickTcpTransport('RTP/AVP;unicast;client_port=5000-5001')).toBeUndefined()
    expect(pickTcpTransport('RTP/AVP/UDP;unicast;client_port=5000-5001')).toBeUndefined()
    expect(pickTcpTransport('RTP/AVP/TCP;multicast')).toBeUndefined()
    expect(pickTcpTransport(undefined)).toBeUndefined()
    expect(sessionId('ABC123;timeout=60')).toBe('ABC123')
    expect(sessionId(undefined)).toBeUndefined()
  })
})

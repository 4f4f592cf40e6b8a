import { describe, expect, it } from 'vitest'
import { RepeatedLineLog } from './log-aggregator'
import {
  classifyStderrLine,
  createRedactor,
  parseStderrLine,
  redactUrlsAndHeaders,
  worse,
} from './stderr-reasons'

describe('classifyStderrLine', () => {
  // Lines as ffmpeg 5.1 prints them with -loglevel level+warning.
  const cases: [string, string | null, boolean?][] = [
    ['[rtsp @ 0x55d5c0] [error] method DESCRIBE failed: 401 Unauthorized', 'auth-failed'],
    [
      '[error] rtsp://127.0.0.1:8554/x: Server returned 401 Unauthorized (authorization failed)',
      'auth-failed',
    ],
    ['[error] rtsp://cam/x: Server returned 403 Forbidden (access denied)', 'auth-failed'],
    ['[rtsp @ 0x1] [error] method DESCRIBE failed: 404 Not Found', 'not-found'],
    [
      '[tcp @ 0x55b69a] [error] Connection to tcp://127.0.0.1:1?timeout=2000000 failed: Connection refused',
      'unreachable',
    ],
    ['[error] rtsp://10.0.0.9/x: No route to host', 'unreachable'],
    ['[error] rtsp://10.0.0.9/x: Network is unreachable', 'unreachable'],
    ['[tcp @ 0x1] [error] Failed to resolve hostname cam.invalid: Name or service not known', 'unreachable'],
    ['[error] rtsp://127.0.0.1:8555/x: Connection timed out', 'timeout'],
    ['[error] rtsp://127.0.0.1/x: Connection reset by peer', 'disconnected'],
    [
      '[rtsp @ 0x1] [warning] Could not find codec parameters for stream 0 (Video: h264, none): unspecified size',
      'unsupported-codec',
      false,
    ],
    ["[error] Stream map '0:v:0' matches no streams.", 'unsupported-codec'],
    [
      '[mp4 @ 0x1] [error] Could not find tag for codec pcm_alaw in stream #1, codec not currently supported in container',
      'unsupported-codec',
    ],
    ['[rtsp @ 0x1] [error] method SETUP failed: 461 Unsupported transport', 'other'],
    ['[rtsp @ 0x1] [error] method PLAY failed: 503 Service Unavailable', 'other'],
    ['[error] rtsp://x: Invalid data found when processing input', 'bad-stream'],
    ['[h264 @ 0x1] [error] error while decoding MB 401 12, bytestream -5', 'bad-stream'],
    ['[rtsp @ 0x1] [warning] RTP: missed 12 packets', 'bad-stream', false],
    [
      '[mp4 @ 0x1] [warning] Non-monotonous DTS in output stream 0:0; previous: 0, current: 0',
      'bad-stream',
      false,
    ],
    ['[error] something nobody expected', 'other'],
    ['[warning] deprecated pixel format used, make sure you did set range correctly', null],
    ["Consider increasing the value for the 'analyzeduration' (0) and 'probesize' (5000000) options", null],
    ['    Last message repeated 3 times', null],
    ['[info] Stream mapping:', null],
  ]
  it.each(cases)('%s → %s', (line, reason, fatal = true) => {
    const p = classifyStderrLine(line)
    expect(p?.reason ?? null).toBe(reason)
    if (p) expect(p.fatal).toBe(fatal)
  })

  it('parses the level and the component', () => {
    expect(parseStderrLine('[rtsp @ 0x55d5c0] [error] method DESCRIBE failed')).toEqual({
      component: 'rtsp',
      level: 'error',
      text: 'method DESCRIBE failed',
    })
    expect(parseStderrLine('plain continuation')).toEqual({
      component: null,
      level: null,
      text: 'plain continuation',
    })
  })

  it('keeps the more telling of two problems', () => {
    const bad = classifyStderrLine('[error] Invalid data found when processing input')
    const auth = classifyStderrLine('[error] method DESCRIBE failed: 401 Unauthorized')
    expect(worse(bad, auth)?.reason).toBe('auth-failed')
    expect(worse(auth, bad)?.reason).toBe('auth-failed')
    expect(worse(null, bad)?.reason).toBe('bad-stream')
  })
})

describe('createRedactor', () => {
  const redact = createRedactor({ username: 'admin', password: 'p@ss:w/rd' })
  it('removes userinfo, Authorization values and the password in any form', () => {
    expect(redact('[error] rtsp://admin:p@ss:w/rd@10.0.0.5:554/live: 401')).not.toContain('p@ss')
    expect(redactUrlsAndHeaders('rtsp://admin:secret@cam/x and http://u:p@h/')).toBe(
      'rtsp://***@cam/x and http://***@h/',
    )
    expect(redactUrlsAndHeaders('Authorization: Digest username="admin", response="abc"')).toBe(
      'Authorization: [redacted]',
    )
    expect(redact('sent p%40ss%3Aw%2Frd in a query')).toBe('sent *** in a query')
    expect(redact(`Basic ${Buffer.from('admin:p@ss:w/rd').toString('base64')} seen`)).toBe('Basic *** seen')
    expect(redact('the word p@ss:w/rd alone')).toBe('the word *** alone')
    // Short passwords are not hunted as plain words (they would wreck every line), only in URLs.
    expect(createRedactor({ password: 'ab' })('about rtsp://x:ab@h')).toBe('about rtsp://***@h')
  })
})

describe('RepeatedLineLog', () => {
  it('logs a line once, then a count of its repeats per interval', () => {
    let now = 0
    const out: [string, number][] = []
    const log = new RepeatedLineLog({ emit: (l, n) => out.push([l, n]), intervalMs: 1000, now: () => now })
    log.add('[h264 @ 0x55aa] error while decoding MB 3 4')
    log.add('[h264 @ 0x55bb] error while decoding MB 7 9')
    log.add('[h264 @ 0x55cc] error while decoding MB 1 2')
    log.add('other line')
    expect(out).toEqual([
      ['[h264 @ 0x55aa] error while decoding MB 3 4', 0],
      ['other line', 0],
    ])
    now = 1500
    log.flush()
    expect(out.slice(2)).toEqual([['[h264 @ 0x55cc] error while decoding MB 1 2', 2]])
    log.add('[h264 @ 0x55dd] error while decoding MB 5 5')
    expect(out.at(-1)).toEqual(['[h264 @ 0x55dd] error while decoding MB 5 5', 0])
    log.add('[h264 @ 0x55dd] error while decoding MB 5 6')
    log.close()
    expect(out.at(-1)).toEqual(['[h264 @ 0x55dd] error while decoding MB 5 6', 1])
  })

  it('stays bounded by maxKeys', () => {
    const out: string[] = []
    const log = new RepeatedLineLog({ emit: (l) => out.push(l), maxKeys: 3, now: () => 0 })
    for (const w of ['a', 'b', 'c', 'd', 'a']) log.add(`line ${w}`)
    // "a" was evicted to make room for "d", so its repeat is logged as a first occurrence again.
    expect(out).toEqual(['line a', 'line b', 'line c', 'line d', 'line a'])
    log.close()
  })
})

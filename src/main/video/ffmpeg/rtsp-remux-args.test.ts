import { describe, expect, it } from 'vitest'
import { assertNoCredentials, rtspRemuxArgs, rtspSnapshotArgs, rtspTranscodeArgs } from './rtsp-remux-args'

const url = 'rtsp://127.0.0.1:40111/tok3n/Streaming/Channels/101?transportmode=unicast'

/** The value following a flag (the first occurrence). */
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1]

describe('ffmpeg arguments for RTSP cameras', () => {
  it('remuxes over TCP with a socket timeout in microseconds, video only, to fragmented MP4 on stdout', () => {
    const args = rtspRemuxArgs({ url })
    expect(args.slice(0, 5)).toEqual(['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+warning'])
    expect(after(args, '-rtsp_transport')).toBe('tcp')
    expect(after(args, '-timeout')).toBe('5000000')
    expect(after(args, '-i')).toBe(url)
    // Input options come before -i, output options after it.
    const input = args.indexOf('-i')
    for (const f of [
      '-rtsp_transport',
      '-timeout',
      '-probesize',
      '-analyzeduration',
      '-fpsprobesize',
      '-flags',
    ]) {
      expect(args.indexOf(f)).toBeLessThan(input)
    }
    expect(args.slice(input + 2)).toEqual([
      ...['-map', '0:v:0', '-an', '-sn', '-dn', '-c:v', 'copy'],
      ...[
        '-f',
        'mp4',
        '-movflags',
        'frag_every_frame+empty_moov+default_base_moof',
        '-flush_packets',
        '1',
        'pipe:1',
      ],
    ])
    expect(args).not.toContain('nobuffer')
    const udp = rtspRemuxArgs({ url, transport: 'udp', timeoutMs: 2500, discardProbePackets: true })
    expect(after(udp, '-rtsp_transport')).toBe('udp')
    expect(after(udp, '-timeout')).toBe('2500000')
    expect(after(udp, '-fflags')).toBe('nobuffer')
  })

  it('transcodes to scaled-down H.264 and snapshots one JPEG', () => {
    const t = rtspTranscodeArgs({ url }, { maxWidth: 480, bitrateKbps: 600, keyframeSeconds: 1 })
    expect(after(t, '-vf')).toBe("scale='min(480,iw)':-2")
    expect(after(t, '-c:v')).toBe('libx264')
    expect(after(t, '-force_key_frames')).toBe('expr:gte(t,n_forced*1)')
    expect(t.at(-1)).toBe('pipe:1')
    const s = rtspSnapshotArgs({ url }, { maxWidth: 320, quality: 1 })
    expect(after(s, '-vf')).toBe("select='eq(pict_type,I)',scale='min(320,iw)':-2")
    expect(s.slice(-9)).toEqual([
      '-frames:v',
      '1',
      '-c:v',
      'mjpeg',
      '-q:v',
      '2',
      '-f',
      'image2pipe',
      'pipe:1',
    ])
  })

  it('refuses a URL with credentials: they would be in the process listing', () => {
    expect(() => rtspRemuxArgs({ url: 'rtsp://admin:secret@10.0.0.5/live' })).toThrow(/auth proxy/)
    expect(() => rtspSnapshotArgs({ url: 'rtsp://admin@10.0.0.5/live' })).toThrow(/auth proxy/)
    expect(() => assertNoCredentials('http://10.0.0.5/live')).toThrow(/rtsp/)
    expect(() => assertNoCredentials('not a url')).toThrow(/valid/)
    expect(() => assertNoCredentials(url)).not.toThrow()
  })
})

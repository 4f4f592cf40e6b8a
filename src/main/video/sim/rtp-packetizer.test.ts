/** RTP packetization of H.264 (RFC 6184): single NAL units, FU-A fragments, marker bits, timestamps. */
import { describe, expect, it } from 'vitest'
import { FU_A, packetizeAccessUnit, RtpStream, senderReport } from './rtp-packetizer'

/** A NAL unit of `size` bytes: header byte (NRI 3, type) then a counting pattern. */
const nal = (type: number, size: number) => {
  const b = Buffer.alloc(size)
  b[0] = 0x60 | type
  for (let i = 1; i < size; i++) b[i] = i % 251
  return b
}

/** Undoes FU-A: the NAL units back from a list of payloads. */
function reassemble(payloads: Buffer[]): Buffer[] {
  const out: Buffer[] = []
  let frag: Buffer[] | undefined
  for (const p of payloads) {
    if ((p[0]! & 0x1f) !== FU_A) {
      out.push(p)
      continue
    }
    if (p[1]! & 0x80) frag = [Buffer.from([(p[0]! & 0xe0) | (p[1]! & 0x1f)])]
    frag!.push(p.subarray(2))
    if (p[1]! & 0x40) {
      out.push(Buffer.concat(frag!))
      frag = undefined
    }
  }
  return out
}

describe('H.264 RTP packetizer', () => {
  it('sends NAL units that fit as they are, with the marker on the access unit last packet only', () => {
    const au = [nal(7, 20), nal(8, 5), nal(5, 1400)]
    const p = packetizeAccessUnit(au, 1400)
    expect(p.map((x) => x.data)).toEqual(au)
    expect(p.map((x) => x.marker)).toEqual([false, false, true])
  })

  it('splits a large NAL unit into FU-A fragments: S on the first, E on the last, nothing lost', () => {
    const big = nal(5, 5000)
    const p = packetizeAccessUnit([nal(7, 20), big], 1400)
    const frags = p.slice(1)
    // 4999 bytes after the NAL header, 1398 per fragment: 4 fragments.
    expect(frags).toHaveLength(4)
    for (const [i, f] of frags.entries()) {
      expect(f.data.length).toBeLessThanOrEqual(1400)
      expect(f.data[0]).toBe(0x60 | FU_A) // NRI of the NAL unit kept, type 28
      expect(f.data[1]! & 0x1f).toBe(5)
      expect(Boolean(f.data[1]! & 0x80)).toBe(i === 0)
      expect(Boolean(f.data[1]! & 0x40)).toBe(i === frags.length - 1)
      expect(f.marker).toBe(i === frags.length - 1)
    }
    expect(reassemble(p.map((x) => x.data))).toEqual([nal(7, 20), big])
  })

  it('marks the last fragment when the access unit ends with a fragmented NAL unit, the last NAL otherwise', () => {
    const sliced = packetizeAccessUnit([nal(1, 3000), nal(1, 100)], 1000)
    expect(sliced.filter((x) => x.marker)).toHaveLength(1)
    expect(sliced.at(-1)!.marker).toBe(true)
    expect(sliced.at(-1)!.data).toEqual(nal(1, 100))
  })

  it('gives each packet a header: same timestamp within an access unit, sequence numbers wrapping at 16 bits', () => {
    const stream = new RtpStream(96, { ssrc: 0x11223344, seq: 65534, timestampOffset: 1000 })
    const payloads = packetizeAccessUnit([nal(5, 4000)], 1400)
    const buf = stream.interleaved(payloads, 3600, 0)
    const packets: { seq: number; ts: number; marker: boolean; ssrc: number }[] = []
    for (let o = 0; o < buf.length;) {
      expect(buf[o]).toBe(0x24)
      expect(buf[o + 1]).toBe(0)
      const len = buf.readUInt16BE(o + 2)
      const rtp = buf.subarray(o + 4, o + 4 + len)
      expect(rtp[0]).toBe(0x80)
      expect(rtp[1]! & 0x7f).toBe(96)
      packets.push({
        seq: rtp.readUInt16BE(2),
        ts: rtp.readUInt32BE(4),
        marker: (rtp[1]! & 0x80) !== 0,
        ssrc: rtp.readUInt32BE(8),
      })
      o += 4 + len
    }
    expect(packets.map((p) => p.seq)).toEqual([65534, 65535, 0])
    expect(packets.every((p) => p.ts === 4600 && p.ssrc === 0x11223344)).toBe(true)
    expect(packets.map((p) => p.marker)).toEqual([false, false, true])
    expect(stream.seq).toBe(1)
    expect(stream.packets).toBe(3)
    expect(stream.octets).toBe(payloads.reduce((s, p) => s + p.data.length, 0))
    // The timestamp offset wraps at 32 bits.
    const late = new RtpStream(96, { timestampOffset: 0xffffffff })
    expect(late.timestamp(3600)).toBe(3599)
  })

  it('writes an RTCP sender report with the NTP time, RTP time and counts, and a CNAME', () => {
    const stream = new RtpStream(96, { ssrc: 7, seq: 1, timestampOffset: 0 })
    stream.interleaved(packetizeAccessUnit([nal(5, 100)]), 0, 0)
    const sr = senderReport(stream, 1_700_000_000_500, 123456, 'sim@/cam1/main', 1)
    expect(sr[0]).toBe(0x24)
    expect(sr[1]).toBe(1)
    expect(sr.readUInt16BE(2)).toBe(sr.length - 4)
    const r = sr.subarray(4)
    expect(r[1]).toBe(200)
    expect(r.readUInt32BE(4)).toBe(7)
    expect(r.readUInt32BE(8)).toBe(1_700_000_000 + 2_208_988_800)
    expect(r.readUInt32BE(12)).toBe(2 ** 31) // half a second
    expect(r.readUInt32BE(16)).toBe(123456)
    expect(r.readUInt32BE(20)).toBe(1)
    expect(r.readUInt32BE(24)).toBe(100)
    expect(r[29]).toBe(202)
    expect((r.readUInt16BE(30) + 1) * 4 + 28).toBe(r.length)
    expect(r.subarray(38, 38 + r[37]!).toString()).toBe('sim@/cam1/main')
  })
})

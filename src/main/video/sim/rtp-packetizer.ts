/**
 * RTP for H.264 (RFC 3550, RFC 6184 packetization-mode 1): a NAL unit that fits goes as a single NAL unit
 * packet, a larger one as FU-A fragments; the marker bit is set on the last packet of an access unit.
 * Payloads are cut once per access unit and shared by every client; each client's stream then adds its own
 * RTP header (sequence number, timestamp offset, SSRC) and the RTSP interleaved framing (RFC 2326 10.12).
 */
import { randomBytes } from 'node:crypto'

/** Largest RTP payload by default: fits a 1500-byte Ethernet MTU with IP, UDP and RTP headers. */
export const DEFAULT_MAX_PAYLOAD = 1400
export const H264_CLOCK_RATE = 90_000
export const FU_A = 28

export interface RtpPayload {
  data: Buffer
  /** Last packet of its access unit. */
  marker: boolean
}

/** Cuts one access unit's NAL units into RTP payloads of at most `maxPayload` bytes. */
export function packetizeAccessUnit(nals: readonly Buffer[], maxPayload = DEFAULT_MAX_PAYLOAD): RtpPayload[] {
  if (maxPayload < 3) throw new Error('maxPayload must leave room for the FU-A headers')
  const out: RtpPayload[] = []
  for (const nal of nals) {
    if (nal.length <= maxPayload) {
      out.push({ data: nal, marker: false })
      continue
    }
    const indicator = (nal[0]! & 0xe0) | FU_A // F and NRI of the NAL unit, type 28
    const type = nal[0]! & 0x1f
    const chunk = maxPayload - 2
    for (let pos = 1; pos < nal.length; pos += chunk) {
      const end = Math.min(pos + chunk, nal.length)
      const start = pos === 1 ? 0x80 : 0
      const last = end === nal.length ? 0x40 : 0
      const data = Buffer.allocUnsafe(2 + end - pos)
      data[0] = indicator
      data[1] = start | last | type
      nal.copy(data, 2, pos, end)
      out.push({ data, marker: false })
    }
  }
  if (out.length) out[out.length - 1]!.marker = true
  return out
}

export const RTP_HEADER_BYTES = 12
export const INTERLEAVED_HEADER_BYTES = 4

/** Writes a 12-byte RTP header (version 2, no padding, extension or CSRC) at `offset`. */
export function writeRtpHeader(
  buf: Buffer,
  offset: number,
  h: { payloadType: number; marker: boolean; seq: number; timestamp: number; ssrc: number },
): void {
  buf[offset] = 0x80
  buf[offset + 1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f)
  buf.writeUInt16BE(h.seq & 0xffff, offset + 2)
  buf.writeUInt32BE(h.timestamp >>> 0, offset + 4)
  buf.writeUInt32BE(h.ssrc >>> 0, offset + 8)
}

const random32 = () => randomBytes(4).readUInt32BE(0)

/**
 * One client's RTP stream: random SSRC, first sequence number and timestamp offset (RFC 3550 5.1), and the
 * counts an RTCP sender report needs.
 */
export class RtpStream {
  readonly ssrc: number
  /** Sequence number of the next packet. */
  seq: number
  /** Added to the path's timestamps, so each client's timestamps start at a random point. */
  readonly timestampOffset: number
  packets = 0
  octets = 0

  constructor(
    readonly payloadType = 96,
    init: { ssrc?: number; seq?: number; timestampOffset?: number } = {},
  ) {
    this.ssrc = init.ssrc ?? random32()
    this.seq = (init.seq ?? random32()) & 0xffff
    this.timestampOffset = (init.timestampOffset ?? random32()) >>> 0
  }

  /** This stream's RTP timestamp for a path timestamp. */
  timestamp(pathTimestamp: number): number {
    return (pathTimestamp + this.timestampOffset) >>> 0
  }

  /**
   * One access unit as RTSP interleaved packets (`$`, channel, length, RTP header, payload) in one buffer,
   * all with the same timestamp.
   */
  interleaved(payloads: readonly RtpPayload[], pathTimestamp: number, channel: number): Buffer {
    let total = 0
    for (const p of payloads) total += INTERLEAVED_HEADER_BYTES + RTP_HEADER_BYTES + p.data.length
    const buf = Buffer.allocUnsafe(total)
    const timestamp = this.timestamp(pathTimestamp)
    let o = 0
    for (const p of payloads) {
      const len = RTP_HEADER_BYTES + p.data.length
      buf[o] = 0x24
      buf[o + 1] = channel
      buf.writeUInt16BE(len, o + 2)
      writeRtpHeader(buf, o + 4, {
        payloadType: this.payloadType,
        marker: p.marker,
        seq: this.seq,
        timestamp,
        ssrc: this.ssrc,
      })
      p.data.copy(buf, o + 4 + RTP_HEADER_BYTES)
      o += INTERLEAVED_HEADER_BYTES + len
      this.seq = (this.seq + 1) & 0xffff
      this.packets++
      this.octets += p.data.length
    }
    return buf
  }
}

/** Seconds between 1900 (NTP) and 1970 (Unix). */
const NTP_UNIX_OFFSET = 2_208_988_800

/**
 * An RTCP compound packet: sender report (RFC 3550 6.4.1) and SDES with a CNAME (6.5), as RTSP
 * interleaved data on `channel`.
 */
export function senderReport(
  stream: RtpStream,
  wallClockMs: number,
  rtpTimestamp: number,
  cname: string,
  channel: number,
): Buffer {
  const name = Buffer.from(cname.slice(0, 255), 'utf8')
  // SSRC + CNAME item (type, length, text) + end-of-items, padded to a 32-bit boundary.
  const sdesBody = 4 + 2 + name.length + 1
  const sdesLen = 4 + Math.ceil(sdesBody / 4) * 4
  const srLen = 28
  const buf = Buffer.alloc(INTERLEAVED_HEADER_BYTES + srLen + sdesLen)
  buf[0] = 0x24
  buf[1] = channel
  buf.writeUInt16BE(srLen + sdesLen, 2)
  let o = INTERLEAVED_HEADER_BYTES
  buf[o] = 0x80
  buf[o + 1] = 200
  buf.writeUInt16BE(srLen / 4 - 1, o + 2)
  buf.writeUInt32BE(stream.ssrc, o + 4)
  const secs = Math.floor(wallClockMs / 1000)
  buf.writeUInt32BE((secs + NTP_UNIX_OFFSET) >>> 0, o + 8)
  buf.writeUInt32BE(Math.floor(((wallClockMs - secs * 1000) / 1000) * 2 ** 32) >>> 0, o + 12)
  buf.writeUInt32BE(rtpTimestamp >>> 0, o + 16)
  buf.writeUInt32BE(stream.packets >>> 0, o + 20)
  buf.writeUInt32BE(stream.octets >>> 0, o + 24)
  o += srLen
  buf[o] = 0x81 // one chunk
  buf[o + 1] = 202
  buf.writeUInt16BE(sdesLen / 4 - 1, o + 2)
  buf.writeUInt32BE(stream.ssrc, o + 4)
  buf[o + 8] = 1 // CNAME
  buf[o + 9] = name.length
  name.copy(buf, o + 10)
  return buf
}

/**
 * Streaming parser of `multipart/x-mixed-replace` (MJPEG over HTTP), built to survive real cameras:
 * parts with or without Content-Length, a boundary with or without its leading dashes, garbage between
 * parts, truncated parts, and oversized parts. Memory stays bounded by the frame size limit whatever the
 * camera sends. Each part is handed out byte for byte (only the multipart framing is removed).
 */
import { jpegProblem } from './jpeg'

export interface MultipartHandlers {
  frame(data: Buffer): void
  /** A part was skipped (not a JPEG, too large, no boundary found...): the stream goes on. */
  problem(message: string): void
}

const CRLFCRLF = Buffer.from('\r\n\r\n')
const LFLF = Buffer.from('\n\n')
/** Part headers longer than this are garbage. */
const MAX_HEADER_BYTES = 8 * 1024

/** The boundary named in a Content-Type header, if any. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined
  const m = /boundary\s*=\s*(?:"([^"]+)"|([^;,\s]+))/i.exec(contentType)
  const b = m?.[1] ?? m?.[2]
  return b && b.length <= 200 ? b : undefined
}

type State = 'boundary' | 'headers' | 'body' | 'skip'

export class MultipartJpegParser {
  private buf: Buffer = Buffer.alloc(0)
  private state: State = 'boundary'
  /** Delimiter searched for: "--boundary" (cameras that already put the dashes in the header are covered). */
  private readonly delimiter: Buffer
  /** Body with a Content-Length: filled in place, one copy per byte. */
  private body: Buffer | undefined
  private bodyFilled = 0
  private skipLeft = 0
  private searchFrom = 0
  /** Bytes dropped while looking for a boundary (garbage). */
  garbageBytes = 0

  constructor(
    boundary: string,
    private readonly maxFrameBytes: number,
    private readonly on: MultipartHandlers,
  ) {
    this.delimiter = Buffer.from(boundary.startsWith('--') ? boundary : `--${boundary}`, 'latin1')
  }

  push(chunk: Buffer): void {
    let data = chunk
    while (data.length > 0) {
      if (this.state === 'body' && this.body) {
        const n = Math.min(data.length, this.body.length - this.bodyFilled)
        data.copy(this.body, this.bodyFilled, 0, n)
        this.bodyFilled += n
        data = data.subarray(n)
        if (this.bodyFilled === this.body.length) {
          const frame = this.body
          this.body = undefined
          this.state = 'boundary'
          this.emit(frame)
        }
        continue
      }
      if (this.state === 'skip') {
        const n = Math.min(data.length, this.skipLeft)
        this.skipLeft -= n
        data = data.subarray(n)
        if (this.skipLeft === 0) this.state = 'boundary'
        continue
      }
      this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data])
      data = Buffer.alloc(0)
      this.drain()
      // drain() may have entered a Content-Length body: move what is buffered into it.
      const state = this.state as State
      if ((state === 'body' && this.body) || state === 'skip') {
        data = this.buf
        this.buf = Buffer.alloc(0)
      }
    }
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'boundary') {
        const i = this.buf.indexOf(this.delimiter)
        if (i < 0) {
          // Keep a tail that might hold the start of the delimiter; drop the rest.
          const keep = Math.min(this.buf.length, this.delimiter.length + 1)
          this.dropGarbage(this.buf.length - keep)
          return
        }
        this.dropGarbage(i)
        const after = this.delimiter.length
        if (this.buf.length < after + 2) return
        if (this.buf[after] === 0x2d && this.buf[after + 1] === 0x2d) {
          // "--boundary--": the final delimiter. Cameras rarely send it; keep reading whatever follows.
          this.buf = this.buf.subarray(after + 2)
          continue
        }
        this.buf = this.buf.subarray(after)
        this.state = 'headers'
        continue
      }
      if (this.state === 'headers') {
        let end = this.buf.indexOf(CRLFCRLF)
        let sep = 4
        const lf = this.buf.indexOf(LFLF)
        if (lf >= 0 && (end < 0 || lf < end)) {
          end = lf
          sep = 2
        }
        if (end < 0) {
          if (this.buf.length > MAX_HEADER_BYTES) {
            this.on.problem('part headers too long: skipped to the next boundary')
            this.state = 'boundary'
            this.buf = this.buf.subarray(1)
            continue
          }
          return
        }
        // The rest of the delimiter line (usually just CRLF) then the headers.
        const headers = this.buf.subarray(0, end).toString('latin1')
        this.buf = this.buf.subarray(end + sep)
        const len = /(?:^|\n)\s*content-length\s*:\s*(\d+)/i.exec(headers)
        if (len) {
          const n = Number(len[1])
          if (n > this.maxFrameBytes) {
            this.on.problem(`frame of ${n} bytes is over the ${this.maxFrameBytes}-byte limit: skipped`)
            this.state = 'skip'
            this.skipLeft = n
            return
          }
          this.body = Buffer.allocUnsafe(n)
          this.bodyFilled = 0
          this.state = 'body'
          if (n === 0) {
            this.body = undefined
            this.state = 'boundary'
            this.on.problem('empty part: skipped')
            continue
          }
          return
        }
        this.state = 'body'
        this.body = undefined
        this.searchFrom = 0
        continue
      }
      if (this.state === 'body') {
        // No Content-Length: the part ends where the next delimiter starts.
        const i = this.buf.indexOf(this.delimiter, this.searchFrom)
        if (i < 0) {
          if (this.buf.length > this.maxFrameBytes + this.delimiter.length + 4) {
            this.on.problem(`frame over the ${this.maxFrameBytes}-byte limit (no boundary found): skipped`)
            this.state = 'boundary'
            this.dropGarbage(this.buf.length - this.delimiter.length)
            return
          }
          this.searchFrom = Math.max(0, this.buf.length - this.delimiter.length)
          return
        }
        let end = i
        if (end > 0 && this.buf[end - 1] === 0x0a) end--
        if (end > 0 && this.buf[end - 1] === 0x0d) end--
        const frame = Buffer.from(this.buf.subarray(0, end))
        this.buf = this.buf.subarray(i)
        this.state = 'boundary'
        this.emit(frame)
        continue
      }
      return
    }
  }

  private dropGarbage(n: number): void {
    if (n <= 0) return
    // Blank lines between a part and the next delimiter are framing, not garbage.
    let g = 0
    for (let k = 0; k < n; k++) {
      const b = this.buf[k]
      if (b !== 0x0d && b !== 0x0a) g++
    }
    this.garbageBytes += g
    this.buf = this.buf.subarray(n)
  }

  private emit(frame: Buffer): void {
    const problem = jpegProblem(frame)
    if (problem) this.on.problem(problem)
    else this.on.frame(frame)
  }
}

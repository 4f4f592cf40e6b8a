/**
 * One segment file being written: the init segment, then fragments as they come. Writes are queued and
 * issued one batch at a time (`writev`), so the event loop never waits for the disk; `sync()` fsyncs what
 * has been written (the recorder calls it at least every second or so, and `close()` does it last), which
 * bounds what a crash or power cut can take. The first failure (disk full, folder gone, permission)
 * sticks: later appends are dropped and `failed` says why.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'

export class SegmentFile {
  /** Bytes handed in (written or queued). */
  bytes = 0
  /** Bytes waiting to be written. */
  pendingBytes = 0
  failed: Error | undefined
  private handle: FileHandle | undefined
  private queue: Buffer[] = []
  private writing: Promise<void> | undefined
  private dirty = false
  private closed = false
  private readonly opened: Promise<FileHandle | undefined>
  private drainWaiters: (() => void)[] = []

  constructor(
    readonly path: string,
    private readonly onFail: (err: Error) => void,
  ) {
    this.opened = mkdir(dirname(path), { recursive: true, mode: 0o750 })
      .then(() => open(path, 'wx', 0o640))
      .then(
        (h) => (this.handle = h),
        (err: unknown) => {
          this.fail(err)
          return undefined
        },
      )
  }

  append(buf: Buffer): void {
    if (this.failed || this.closed) return
    this.queue.push(buf)
    this.bytes += buf.length
    this.pendingBytes += buf.length
    this.writing ??= this.drain()
  }

  /** Resolves once fewer than `bytes` wait to be written (or the file failed). */
  whenBelow(bytes: number): Promise<void> {
    if (this.pendingBytes < bytes || this.failed) return Promise.resolve()
    return new Promise((resolve) => this.drainWaiters.push(resolve))
  }

  private async drain(): Promise<void> {
    const h = await this.opened
    try {
      while (h && !this.failed && this.queue.length > 0) {
        const batch = this.queue
        this.queue = []
        let size = 0
        for (const b of batch) size += b.length
        let done = 0
        // writev may take part of a batch (a full disk): the rest is written again, or fails.
        while (done < size) {
          const { bytesWritten } = await h.writev(done === 0 ? batch : [Buffer.concat(batch).subarray(done)])
          if (bytesWritten === 0)
            throw Object.assign(new Error('no space left on the device'), { code: 'ENOSPC' })
          done += bytesWritten
        }
        this.pendingBytes -= size
        this.dirty = true
        this.wake()
      }
    } catch (err) {
      this.fail(err)
    } finally {
      this.writing = undefined
      this.wake()
    }
  }

  private wake(): void {
    if (this.drainWaiters.length === 0) return
    const waiters = this.drainWaiters
    this.drainWaiters = []
    for (const w of waiters) w()
  }

  private fail(err: unknown): void {
    if (this.failed) return
    this.failed = err instanceof Error ? err : new Error(String(err))
    this.queue = []
    this.pendingBytes = 0
    this.wake()
    this.onFail(this.failed)
  }

  /** Waits for the queued writes, then fsyncs them (nothing to do when nothing new was written). */
  async sync(): Promise<void> {
    await this.writing
    const h = this.handle
    if (!h || this.failed || !this.dirty) return
    this.dirty = false
    try {
      await h.datasync()
    } catch (err) {
      this.fail(err)
    }
  }

  /** Writes what is queued, fsyncs, closes. Resolves either way; `failed` says whether it held. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.opened
    await this.sync()
    await this.handle?.close().catch((err: unknown) => this.fail(err))
    this.handle = undefined
  }
}

/**
 * The packaged app's log: the station's log lines in `station.log` in the OS's logs folder, rotated by
 * size (station.log, station.1.log, station.2.log) so a station that runs for months never fills the
 * disk. pino writes to it synchronously, line by line, like its own file destination.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export const LOG_FILE = 'station.log'

export class RotatingLogFile {
  private fd: number
  private size: number
  readonly path: string

  constructor(
    readonly dir: string,
    private readonly maxBytes = 10 * 1024 * 1024,
    private readonly keep = 2,
  ) {
    mkdirSync(dir, { recursive: true })
    this.path = join(dir, LOG_FILE)
    this.fd = openSync(this.path, 'a')
    this.size = statSync(this.path).size
  }

  private rotated(n: number): string {
    return join(this.dir, `station.${n}.log`)
  }

  private rotate(): void {
    closeSync(this.fd)
    rmSync(this.rotated(this.keep), { force: true })
    for (let n = this.keep - 1; n >= 1; n--) {
      if (existsSync(this.rotated(n))) renameSync(this.rotated(n), this.rotated(n + 1))
    }
    renameSync(this.path, this.rotated(1))
    this.fd = openSync(this.path, 'a')
    this.size = 0
  }

  write(line: string): boolean {
    if (this.size > 0 && this.size + line.length > this.maxBytes) this.rotate()
    this.size += writeSync(this.fd, line)
    return true
  }

  close(): void {
    closeSync(this.fd)
  }
}

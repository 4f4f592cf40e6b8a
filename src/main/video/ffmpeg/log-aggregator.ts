/**
 * Keeps a noisy child's log readable: the first occurrence of a line is logged at once; repeats within
 * the interval are counted and logged once, as one summary, when the interval is over. Lines that differ
 * only in numbers or pointer addresses count as the same line. Memory is bounded by `maxKeys`.
 */

export interface RepeatedLineLogOptions {
  /** Called for each line to log: `repeats` is 0 for a first occurrence, else the repeats being summed up. */
  emit(line: string, repeats: number): void
  intervalMs?: number
  maxKeys?: number
  now?: () => number
}

interface Entry {
  line: string
  since: number
  repeats: number
}

export class RepeatedLineLog {
  private readonly entries = new Map<string, Entry>()
  private timer: NodeJS.Timeout | undefined
  private readonly intervalMs: number
  private readonly maxKeys: number
  private readonly now: () => number

  constructor(private readonly options: RepeatedLineLogOptions) {
    this.intervalMs = options.intervalMs ?? 10_000
    this.maxKeys = options.maxKeys ?? 64
    this.now = options.now ?? Date.now
  }

  add(line: string): void {
    const key = line.replace(/0x[0-9a-f]+/gi, '0x').replace(/\d+/g, '#')
    const now = this.now()
    const entry = this.entries.get(key)
    if (entry && now - entry.since < this.intervalMs) {
      entry.repeats++
      entry.line = line
      this.arm()
      return
    }
    if (entry) this.summarize(key, entry)
    if (!this.entries.has(key) && this.entries.size >= this.maxKeys) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry]
      this.summarize(oldestKey, oldest)
    }
    this.entries.set(key, { line, since: now, repeats: 0 })
    this.options.emit(line, 0)
  }

  /** Logs the summaries of intervals that are over (`all`: of every line with repeats). */
  flush(all = false): void {
    const now = this.now()
    for (const [key, entry] of this.entries) {
      if (all || now - entry.since >= this.intervalMs) this.summarize(key, entry)
    }
    if (![...this.entries.values()].some((e) => e.repeats > 0)) this.disarm()
  }

  /** Logs every pending summary and stops the timer. */
  close(): void {
    this.flush(true)
    this.disarm()
  }

  private summarize(key: string, entry: Entry): void {
    this.entries.delete(key)
    if (entry.repeats > 0) this.options.emit(entry.line, entry.repeats)
  }

  private arm(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.flush(), this.intervalMs)
    this.timer.unref()
  }

  private disarm(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}

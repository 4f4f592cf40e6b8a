/**
 * Each camera's write rate as the index sees it: bytes of the segments indexed over the last minute,
 * per second. The figure the storage screen falls back on until a recorder reports its own.
 */
const WINDOW_MS = 60_000

export class WriteRates {
  private readonly recent = new Map<number, { at: number; bytes: number }[]>()

  constructor(private readonly now: () => number = Date.now) {}

  add(cameraId: number, bytes: number): void {
    const list = this.recent.get(cameraId) ?? []
    list.push({ at: this.now(), bytes })
    this.recent.set(cameraId, list)
    this.trim(cameraId)
  }

  bytesPerSec(cameraId: number): number {
    const list = this.trim(cameraId)
    return list.reduce((s, e) => s + e.bytes, 0) / (WINDOW_MS / 1000)
  }

  private trim(cameraId: number): { at: number; bytes: number }[] {
    const list = this.recent.get(cameraId)
    if (!list) return []
    const from = this.now() - WINDOW_MS
    while (list.length > 0 && list[0]!.at < from) list.shift()
    if (list.length === 0) this.recent.delete(cameraId)
    return list
  }
}

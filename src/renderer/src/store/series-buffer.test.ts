import { describe, expect, it } from 'vitest'
import { bucketFor, SeriesBuffer } from './series-buffer'

describe('SeriesBuffer', () => {
  it('loads buckets or readings oldest first, in seconds', () => {
    const b = new SeriesBuffer()
    b.load([
      { ts: 3000, sensor: 't', min: 1, max: 5, avg: 3, count: 4 },
      { ts: 1000, sensor: 't', min: 0, max: 2, avg: 1, count: 2 },
    ])
    expect(b.data()).toEqual([
      [1, 3],
      [1, 3],
      [0, 1],
      [2, 5],
    ])
    b.load([{ ts: 2000, value: 7, sensor: 't', unit: 'C' }])
    expect(b.data()).toEqual([[2], [7], [7], [7]])
  })

  it('appends live points in time order only and trims the rolling window', () => {
    const b = new SeriesBuffer()
    expect(b.append(1000, 1)).toBe(true)
    expect(b.append(2000, 2)).toBe(true)
    expect(b.append(1500, 9)).toBe(false)
    b.append(3000, 3)
    b.trimBefore(2000)
    expect(b.data()[0]).toEqual([2, 3])
  })

  it('keeps at most its point budget, dropping the oldest in chunks', () => {
    const b = new SeriesBuffer(100)
    for (let i = 0; i < 250; i++) b.append(i * 1000, i)
    expect(b.length).toBeLessThanOrEqual(100)
    expect(b.x[b.length - 1]).toBe(249)
    expect(b.avg[0]).toBe(b.x[0])
  })
})

describe('bucketFor', () => {
  it('aims at about 1,500 points and never below a second', () => {
    expect(bucketFor(5 * 60_000)).toBe(1000)
    expect(bucketFor(24 * 3_600_000)).toBe(57_600)
  })
})

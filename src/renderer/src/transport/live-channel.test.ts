import { afterEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay, LiveChannel, type LiveHandlers } from './live-channel'

describe('backoffDelay', () => {
  it('doubles up to the cap, with jitter in the upper half', () => {
    expect(backoffDelay(0, 500, 15_000, 0)).toBe(250)
    expect(backoffDelay(0, 500, 15_000, 1)).toBe(500)
    expect(backoffDelay(3, 500, 15_000, 1)).toBe(4000)
    expect(backoffDelay(30, 500, 15_000, 1)).toBe(15_000)
    expect(backoffDelay(30, 500, 15_000, 0)).toBe(7500)
  })
})

describe('LiveChannel', () => {
  afterEach(() => vi.useRealTimers())

  function setup() {
    vi.useFakeTimers()
    const opened: { token: string; h: LiveHandlers; closed: boolean }[] = []
    const ch = new LiveChannel(
      (token, h) => {
        const entry = { token, h, closed: false }
        opened.push(entry)
        return () => (entry.closed = true)
      },
      { initialMs: 1000, maxMs: 8000, random: () => 1 },
    )
    const states: string[] = []
    ch.onStatus((s) => states.push(s.state))
    return { ch, opened, states }
  }

  it('connects with a session, reconnects with growing delays, and resets after opening', () => {
    const { ch, opened, states } = setup()
    ch.setToken('t')
    expect(opened).toHaveLength(1)
    opened[0]!.h.closed({ reason: 'refused' })
    expect(ch.current).toMatchObject({ state: 'reconnecting', attempt: 1 })
    vi.advanceTimersByTime(1999)
    expect(opened).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(opened).toHaveLength(2)
    opened[1]!.h.closed({ reason: 'refused' })
    vi.advanceTimersByTime(4000)
    expect(opened).toHaveLength(3)
    opened[2]!.h.open()
    expect(ch.current).toMatchObject({ state: 'open', attempt: 0 })
    opened[2]!.h.closed({ reason: 'dropped' })
    vi.advanceTimersByTime(1000)
    expect(opened).toHaveLength(4)
    expect(states).toEqual([
      'idle',
      'connecting',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'open',
      'reconnecting',
      'reconnecting',
    ])
  })

  it('delivers messages to subscribers and records when the last one came', () => {
    const { ch, opened } = setup()
    const got: string[] = []
    ch.subscribe((m) => got.push(m.type))
    ch.setToken('t')
    opened[0]!.h.open()
    vi.setSystemTime(5000)
    opened[0]!.h.message({ type: 'hello', serverTime: 1, user: { username: 'a', role: 'guard' } })
    expect(got).toEqual(['hello'])
    expect(ch.current.lastMessageAt).toBe(5000)
  })

  it('stops on sign-out and ignores a late close of the old connection', () => {
    const { ch, opened } = setup()
    ch.setToken('t')
    ch.setToken(null)
    expect(opened[0]!.closed).toBe(true)
    opened[0]!.h.closed({ reason: 'late' })
    vi.advanceTimersByTime(60_000)
    expect(opened).toHaveLength(1)
    expect(ch.current.state).toBe('idle')
  })

  it('gives up and reports when the station refuses the session', () => {
    const { ch, opened } = setup()
    let refused = 0
    ch.onUnauthorized(() => refused++)
    ch.setToken('t')
    opened[0]!.h.closed({ reason: 'nope', unauthorized: true })
    vi.advanceTimersByTime(60_000)
    expect(refused).toBe(1)
    expect(opened).toHaveLength(1)
    expect(ch.current.state).toBe('idle')
  })
})

/**
 * The check scheduler on its own: the first check soon, then one per interval; never more than the
 * concurrency at once; a camera that gets connected is not checked, and the answer of a check it was in
 * the middle of is dropped. (The checks themselves run against real cameras in camera-probe.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import type { CameraChannel } from '../camera-channel'
import type { RelayCamera } from '../../cameras/views'
import { CameraProber, type ProbeFn } from './camera-prober'

interface FakeChannel {
  kind: RelayCamera['kind']
  cam: RelayCamera
  probeWanted: boolean
  answers: (string | null)[]
  probed(error: string | null): void
}

function channel(id: number): FakeChannel {
  const ch: FakeChannel = {
    kind: 'mjpeg',
    cam: { id } as RelayCamera,
    probeWanted: true,
    answers: [],
    probed: (e) => ch.answers.push(e),
  }
  return ch
}

/** A check that waits until the test settles it. */
function pendingChecks() {
  const open: { cam: number; settle: (err?: Error) => void; signal: AbortSignal }[] = []
  const probe: ProbeFn = (cam, _env, signal) =>
    new Promise<void>((resolve, reject) => {
      open.push({ cam: cam.id, signal, settle: (err) => (err ? reject(err) : resolve()) })
    })
  return { open, probe }
}

const env = { connectTimeoutMs: 1000, tlsVerify: true, maxFrameBytes: 1 << 20 }
const flush = () => new Promise((r) => setImmediate(r))

describe('camera check scheduling', () => {
  it('checks at most `concurrency` cameras at once, each again after the interval', async () => {
    const { open, probe } = pendingChecks()
    const p = new CameraProber({
      intervalMs: 1000,
      env,
      concurrency: 2,
      random: () => 0,
      checks: () => probe,
    })
    const chans = [channel(1), channel(2), channel(3)]
    const list = chans as unknown as CameraChannel[]
    p.tick(list, 0) // scheduled: due at once (random 0)
    p.tick(list, 1)
    expect(open.map((o) => o.cam)).toEqual([1, 2])
    open.shift()!.settle()
    await flush()
    expect(chans[0]!.answers).toEqual([null])
    p.tick(list, 2)
    expect(open.map((o) => o.cam)).toEqual([2, 3])
    open.shift()!.settle(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))
    await flush()
    expect(chans[1]!.answers).toEqual(['connection refused'])
    p.close()
  })

  it('a camera that gets connected is not checked, and a check in flight is dropped', async () => {
    const { open, probe } = pendingChecks()
    const p = new CameraProber({ intervalMs: 1000, env, random: () => 0, checks: () => probe })
    const ch = channel(1)
    const list = [ch] as unknown as CameraChannel[]
    p.tick(list, 0)
    p.tick(list, 1)
    expect(open).toHaveLength(1)
    ch.probeWanted = false
    p.tick(list, 2)
    expect(open[0]!.signal.aborted).toBe(true)
    open[0]!.settle()
    await flush()
    expect(ch.answers).toEqual([])
    p.close()
  })

  it('0 turns the checks off', () => {
    const { open, probe } = pendingChecks()
    const p = new CameraProber({ intervalMs: 0, env, random: () => 0, checks: () => probe })
    const list = [channel(1)] as unknown as CameraChannel[]
    p.tick(list, 0)
    p.tick(list, 10_000)
    expect(open).toHaveLength(0)
  })
})

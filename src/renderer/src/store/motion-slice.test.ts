import { describe, expect, it } from 'vitest'
import type { MotionCameraStats } from '../../../shared/schemas/motion'
import { FakeTransport, MemoryStorage } from '../transport/fake-transport.test-support'
import { createStationStore } from './create-store'
import { ReadingBus } from './reading-bus'
import { StatsSeries } from './stats-series'

const detector = (cameraId: number, state: 'idle' | 'motion'): MotionCameraStats => ({
  cameraId,
  state,
  running: true,
  mode: 'all-frames',
  stream: 'sub',
  width: 128,
  height: 72,
  fps: 3,
  frames: 10,
  skipped: 0,
  lastArea: state === 'motion' ? 0.04 : 0,
  starts: state === 'motion' ? 1 : 0,
  restarts: 0,
  lastError: null,
  lastFrameAt: 5000,
  compareMs: 1,
  decoderCpuMs: null,
  decoderPid: null,
})

describe('motion in the store', () => {
  it('loads the cameras in motion, then follows the live starts and ends', async () => {
    const t = new FakeTransport().answer('motion:stats', {
      cameras: [detector(1, 'motion'), detector(2, 'idle')],
      unavailable: null,
    })
    const st = createStationStore({
      transport: t,
      storage: new MemoryStorage(),
      sessionStorage: new MemoryStorage(),
      readings: new ReadingBus(),
      series: new StatsSeries(),
    })
    await st.store.getState().loadMotion()
    expect(st.store.getState().motion).toEqual({ 1: { area: 0.04, since: 5000 } })
    t.emit({ type: 'camera.motion', cameraId: 2, state: 'start', area: 0.1, at: 6000 })
    t.emit({ type: 'camera.motion', cameraId: 1, state: 'end', area: 0.2, at: 6500 })
    expect(st.store.getState().motion).toEqual({ 2: { area: 0.1, since: 6000 } })
    st.dispose()
  })
})

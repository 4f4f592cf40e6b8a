/**
 * The alarm console's store: its order (active first by severity, then newest), live messages merging,
 * new alarms (fullscreen cameras, the desk's alert), the keyboard selection and the workflow steps.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Alarm, AlarmDetail } from '../../../shared/contract'
import { alarm } from '../../../shared/test-support/alarm-fixture'
import { eventNeedsAck } from '../../../shared/constants'
import type { StationEvent } from '../../../shared/schemas/entities'
import { FakeTransport, MemoryStorage } from '../transport/fake-transport.test-support'
import { playbackMoment } from '../hooks/useHashView'
import { loudestActive, sortAlarms } from './alarm-order'
import { createStationStore, type StationStore } from './create-store'
import { ReadingBus } from './reading-bus'
import { StatsSeries } from './stats-series'

const detail = (a: Alarm): AlarmDetail => ({
  ...a,
  history: [{ at: a.openedAt, kind: 'opened', actor: null, note: null, detail: null }],
})

describe('alarm order', () => {
  it('puts active alarms first by severity, then newest; then acknowledged; then cleared', () => {
    const list = [
      alarm(1, { severity: 'critical', state: 'cleared' }),
      alarm(2, { severity: 'info' }),
      alarm(3, { severity: 'critical', state: 'acknowledged' }),
      alarm(4, { severity: 'warning' }),
      alarm(5, { severity: 'critical' }),
      alarm(6, { severity: 'warning' }),
    ]
    expect(sortAlarms(list).map((a) => a.id)).toEqual([5, 6, 4, 2, 3, 1])
    expect(loudestActive(list)).toBe('critical')
    expect(loudestActive([alarm(7, { severity: 'critical', state: 'acknowledged' }), alarm(8)])).toBe(
      'warning',
    )
    expect(loudestActive([alarm(9, { state: 'cleared' })])).toBeNull()
  })

  it('asks acknowledgement only of warnings and above', () => {
    const e = (severity: StationEvent['severity'], ackedAt: number | null = null) => ({ severity, ackedAt })
    expect([e('info'), e('warning'), e('critical'), e('critical', 5)].map(eventNeedsAck)).toEqual([
      false,
      true,
      true,
      false,
    ])
  })
})

describe('alarms slice', () => {
  let t: FakeTransport
  let st: StationStore
  let newAlarms: Alarm[]

  beforeEach(() => {
    newAlarms = []
    t = new FakeTransport()
      .answer('alarms:list', (q) =>
        q.state === 'open'
          ? [alarm(1, { severity: 'warning' }), alarm(2, { severity: 'critical', state: 'acknowledged' })]
          : [alarm(3, { state: 'cleared' })],
      )
      .answer('alarms:get', (q) => detail(alarm(q.id)))
    st = createStationStore({
      transport: t,
      storage: new MemoryStorage(),
      sessionStorage: new MemoryStorage(),
      readings: new ReadingBus(),
      series: new StatsSeries(),
      onNewAlarm: (a) => newAlarms.push(a),
    })
  })

  const ids = () => st.store.getState().alarms.map((a) => a.id)

  it('loads open and recent alarms in the console order', async () => {
    await st.store.getState().loadAlarms()
    expect(st.store.getState().alarmsStatus).toBe('ready')
    expect(ids()).toEqual([1, 2, 3])
    expect(t.callsOf('alarms:list')).toEqual([
      { state: 'open', limit: 200 },
      { state: 'cleared', limit: 50 },
    ])
  })

  it('merges live changes in place and re-sorts; a new active alarm is announced once', async () => {
    await st.store.getState().loadAlarms()
    // Another desk acknowledged alarm 1: it moves below the waiting ones, and nothing is announced.
    t.emit({ type: 'alarm', alarm: alarm(1, { state: 'acknowledged', ackedBy: 'bob', ackedAt: 5000 }) })
    expect(st.store.getState().alarms.find((a) => a.id === 1)?.ackedBy).toBe('bob')
    t.emit({ type: 'alarm', alarm: alarm(9, { severity: 'critical', openedAt: 9000 }) })
    expect(ids()).toEqual([9, 2, 1, 3])
    expect(newAlarms.map((a) => a.id)).toEqual([9])
    // The same alarm again (a repeat) is not new.
    t.emit({ type: 'alarm', alarm: alarm(9, { severity: 'critical', openedAt: 9000, repeatCount: 1 }) })
    expect(newAlarms).toHaveLength(1)
    expect(st.store.getState().alarms.filter((a) => a.id === 9)).toHaveLength(1)
  })

  it('shows the cameras a new alarm names fullscreen (missing field: nothing)', () => {
    st.store.getState().setView('events')
    t.emit({ type: 'alarm', alarm: alarm(10) })
    expect(st.store.getState().settings).toMatchObject({ view: 'events', fullscreenCamera: null })
    t.emit({ type: 'alarm', alarm: { ...alarm(11), fullscreenCameraIds: [4, 5] } as Alarm })
    expect(st.store.getState().settings).toMatchObject({ view: 'cameras', fullscreenCamera: 4 })
  })

  it('moves the selection with the keyboard and loads the selected alarm with its history', async () => {
    await st.store.getState().loadAlarms()
    const s = () => st.store.getState()
    s().moveAlarmSelection(1)
    expect(s().selectedAlarm).toBe(1)
    s().moveAlarmSelection(1)
    s().moveAlarmSelection(1)
    s().moveAlarmSelection(1)
    expect(s().selectedAlarm).toBe(3)
    s().moveAlarmSelection(-1)
    expect(s().selectedAlarm).toBe(2)
    await expect.poll(() => s().alarmDetail?.id).toBe(2)
    expect(s().alarmDetail?.history[0]?.kind).toBe('opened')
  })

  it('acknowledges with a trimmed note and merges the answer; a refusal says why', async () => {
    await st.store.getState().loadAlarms()
    t.answer('alarms:ack', (a) =>
      alarm(a.id, { state: 'acknowledged', ackedBy: 'ann', ackNote: a.note ?? null }),
    )
    const res = await st.store.getState().ackAlarm(1, '  checked the door  ')
    expect(res.ok).toBe(true)
    expect(t.callsOf('alarms:ack')).toEqual([{ id: 1, note: 'checked the door' }])
    expect(st.store.getState().alarms.find((a) => a.id === 1)).toMatchObject({
      state: 'acknowledged',
      ackNote: 'checked the door',
    })
    t.answer('alarms:resolve', () => {
      throw new Error('Alarm 3 is already cleared')
    })
    const refused = await st.store.getState().resolveAlarm(3)
    expect(refused).toMatchObject({ ok: false, error: 'Alarm 3 is already cleared' })
    t.answer('alarms:assign', (a) => alarm(a.id, { assignedTo: a.assignee }))
    await st.store.getState().assignAlarm(1, 'bob')
    expect(t.callsOf('alarms:assign')).toEqual([{ id: 1, assignee: 'bob' }])
    expect(st.store.getState().alarms.find((a) => a.id === 1)?.assignedTo).toBe('bob')
  })
})

describe('opening a recorded clip', () => {
  it('opens Playback on the camera, around the moment, and seeks there once', () => {
    const st = createStationStore({
      transport: new FakeTransport().answer('recordings:timeline', { cameras: [] } as never),
      storage: new MemoryStorage(),
      sessionStorage: new MemoryStorage(),
      readings: new ReadingBus(),
      series: new StatsSeries(),
    })
    const at = 1_767_225_600_000
    st.store.getState().openPlaybackAt(3, at)
    const s = st.store.getState()
    expect(s.settings.view).toBe('playback')
    expect(s.playbackCameras).toEqual([3])
    expect(s.playbackWindow.from).toBeLessThan(at)
    expect(s.playbackWindow.to).toBeGreaterThan(at)
    expect(s.takePlaybackSeek()).toBe(at)
    expect(st.store.getState().takePlaybackSeek()).toBeNull()
    st.dispose()
  })

  it('reads a camera and a moment from a Playback link', () => {
    expect(playbackMoment('#/playback?camera=3&at=1767225600000')).toEqual({ cameraId: 3, at: 1767225600000 })
    expect(playbackMoment('#/playback')).toBeNull()
    expect(playbackMoment('#/playback?camera=x&at=5')).toBeNull()
  })
})

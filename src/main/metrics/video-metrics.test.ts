/**
 * Live video in the station metrics: per-camera figures in GET /api/metrics (`video`) and per-camera gauges
 * in the Prometheus text (fps in, viewers, last frame age, online).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startVideoStation, testFrame, waitFor, wsClient, type VideoStation } from '../video/test-support'
import type { MetricsSnapshot } from './snapshot'

let s: VideoStation
beforeAll(async () => {
  s = await startVideoStation()
})
afterAll(async () => {
  await s.station.close()
})

async function metrics(): Promise<MetricsSnapshot> {
  const res = await fetch(`${s.url}/api/metrics`, { headers: { authorization: `Bearer ${s.admin}` } })
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: MetricsSnapshot }).data
}

/** The value of a Prometheus sample whose labels include `labels`. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels))
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

describe('video metrics', () => {
  it('reports each camera in /api/metrics and as gauges in /metrics', async () => {
    const idle = await s.createCamera({ name: 'Idle "yard"', kind: 'push' })
    const id = await s.createCamera({ name: 'Gate', kind: 'push' })
    const viewer = await wsClient(`${s.url.replace('http', 'ws')}/ws/stream/${id}`, {
      headers: { authorization: `Bearer ${s.guard}` },
    })
    // Frames over more than a second, so the per-second rate has been sampled.
    const until = Date.now() + 1600
    let seq = 0
    while (Date.now() < until) {
      expect((await s.push(id, testFrame(++seq))).status).toBe(200)
      await new Promise((r) => setTimeout(r, 40))
    }
    await waitFor(() => viewer.frames.length > 0, 'the viewer receives frames')
    await waitFor(
      () => (s.station.app.video.stats().cameras.find((c) => c.id === id)?.fpsIn ?? 0) > 0,
      'a measured fps',
    )

    const m = await metrics()
    expect(m.video).not.toBeNull()
    const gate = m.video!.cameras.find((c) => c.id === id)!
    expect(gate).toMatchObject({ name: 'Gate', kind: 'push', state: 'online', online: true, framesIn: seq })
    expect(gate.viewers).toMatchObject({ total: 1, ws: 1 })
    expect(gate.fpsIn).toBeGreaterThan(0)
    expect(gate.lastFrameAgeMs).toBeGreaterThanOrEqual(0)
    expect(m.video!.cameras.find((c) => c.id === idle)).toMatchObject({ online: false, lastFrameAgeMs: null })
    expect(m.video!.viewers).toBeGreaterThanOrEqual(1)

    const res = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.admin}` } })
    expect(res.status).toBe(200)
    const text = await res.text()
    const gateLabels = `camera_id="${id}",camera="Gate",kind="push"`
    expect(text).toContain('# TYPE station_camera_fps_in gauge')
    expect(sample(text, 'station_camera_online', gateLabels)).toBe(1)
    expect(sample(text, 'station_camera_viewers', gateLabels)).toBe(1)
    expect(sample(text, 'station_camera_fps_in', gateLabels)).toBeGreaterThan(0)
    expect(sample(text, 'station_camera_last_frame_age_seconds', gateLabels)).toBeGreaterThanOrEqual(0)
    expect(sample(text, 'station_camera_frames_in_total', gateLabels)).toBe(seq)
    // Label values are escaped; a camera that never sent a frame has no age sample.
    const idleLabels = `camera_id="${idle}",camera="Idle \\"yard\\"",kind="push"`
    expect(sample(text, 'station_camera_online', idleLabels)).toBe(0)
    expect(sample(text, 'station_camera_viewers', idleLabels)).toBe(0)
    expect(sample(text, 'station_camera_last_frame_age_seconds', idleLabels)).toBeUndefined()
    expect(text).toContain(`\nstation_video_viewers_limit ${s.station.config.video.maxViewers}\n`)
    expect(text).toContain('# TYPE station_video_relay_latency_seconds histogram')
    expect(text).toMatch(/\nstation_video_relay_latency_seconds_count [1-9]\d*\n/)
    viewer.close()
  })
})

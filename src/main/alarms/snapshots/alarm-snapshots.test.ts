/**
 * Alarm snapshots against a real station: a push camera sending real JPEGs and one that sends nothing,
 * a manual rule that records both, the guard raising it over HTTP and a live desk on /ws/live.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm, AlarmDetail, Rule } from '../../../shared/schemas/alarms'
import { cameraJpeg } from '../../video/camera-jpeg'
import { sharedSimFrames } from '../../video/sim/frames'
import { request, startVideoStation, type VideoStation } from '../../video/test-support'
import { connectLive, waitFor, type LiveClient } from '../../ws/live-test-client'
import { AlarmSnapshots } from './alarm-snapshots'

let s: VideoStation
let door: number
let yard: number
let live: LiveClient
let pushing = true
let pump: Promise<void>

const as = (token: string) => ({ authorization: `Bearer ${token}` })
const inject = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
  s.station.app.inject({ method, url, headers: as(token), ...(payload ? { payload } : {}) })

beforeAll(async () => {
  s = await startVideoStation()
  door = await s.createCamera({ name: 'Door', kind: 'push', fps: 10 })
  yard = await s.createCamera({ name: 'Yard', kind: 'push', fps: 10 })
  const frames = sharedSimFrames()
  let seq = 0
  pump = (async () => {
    while (pushing) {
      await s.push(door, frames.frame(seq++, Date.now(), 'door'))
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  await waitFor(() => s.station.app.video.channel(door)?.online, 'the door camera online')
  live = await connectLive(s.url, s.guard)
}, 60_000)

afterAll(async () => {
  pushing = false
  await pump
  await live?.close()
  await s?.station.close()
})

describe('alarm snapshots', () => {
  it('takes a picture of each camera when the alarm opens and says which gave none', async () => {
    const res = await inject('POST', '/api/rules', s.admin, {
      name: 'Panic button',
      severity: 'critical',
      trigger: { kind: 'manual' },
      actions: { record: { cameraIds: [door, yard] } },
    })
    expect(res.statusCode, res.body).toBe(201)
    const rule = res.json().data as Rule
    const raised = await inject('POST', '/api/alarms', s.guard, { ruleId: rule.id, note: 'seen at the door' })
    expect(raised.statusCode, raised.body).toBe(200)
    const opened = raised.json().data as Alarm
    // The alarm is answered before its pictures are in: they never hold up the alarm.
    expect(opened.snapshots).toEqual([])

    // Live desks get the alarm again once its pictures are taken.
    const msg = await live.next('alarm', (m) => m.alarm.id === opened.id && m.alarm.snapshots.length > 0)
    expect(msg.alarm.snapshots).toEqual([{ cameraId: door, at: expect.any(Number) }])
    const at = msg.alarm.snapshots[0]!.at
    expect(at).toBeGreaterThanOrEqual(opened.openedAt - 5_000)

    const pic = await request(`${s.url}/api/alarms/${opened.id}/snapshots/${door}`, 'GET', as(s.guard))
    expect(pic.status).toBe(200)
    expect(pic.headers['content-type']).toBe('image/jpeg')
    expect(pic.raw.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]))
    const file = join(s.station.dataDir, 'alarm-snapshots', `${opened.id}-${door}.jpg`)
    expect(readFileSync(file)).toEqual(pic.raw)

    // The camera that sent nothing has no picture: 404 in JSON, and the history says why.
    const none = await request(`${s.url}/api/alarms/${opened.id}/snapshots/${yard}`, 'GET', as(s.guard))
    expect(none.status).toBe(404)
    expect(JSON.parse(none.body)).toMatchObject({ success: false, code: 'NOT_FOUND' })
    const detail = (await inject('GET', `/api/alarms/${opened.id}`, s.guard)).json().data as AlarmDetail
    const entry = detail.history.find((h) => h.kind === 'snapshot')!
    expect(entry.note).toContain(`Camera ${yard} gave no picture`)
    expect(entry.detail).toEqual([
      { cameraId: door, at, error: null },
      { cameraId: yard, at: expect.any(Number), error: expect.any(String) },
    ])
    // Not signed in: refused like every guard route.
    expect((await request(`${s.url}/api/alarms/${opened.id}/snapshots/${door}`, 'GET', {})).status).toBe(401)
    // The console's <img> cannot send headers: a short-lived stream token in the query opens the picture.
    const token = (await inject('POST', '/api/v1/stream/token', s.guard, {})).json().data.token as string
    const byToken = await request(
      `${s.url}/api/alarms/${opened.id}/snapshots/${door}?token=${token}`,
      'GET',
      {},
    )
    expect(byToken.status).toBe(200)
    expect(byToken.raw).toEqual(pic.raw)
  })

  it('keeps the folder within its size cap, oldest pictures first', async () => {
    const app = s.station.app
    const { repo, dir } = app.alarms.snapshots
    const done: number[] = []
    const one = (await cameraJpeg(app.video, door, 5000)) as { data: Buffer }
    const capture = new AlarmSnapshots({
      repo,
      dir,
      grab: (id) => cameraJpeg(app.video, id, 5000),
      done: (alarmId) => done.push(alarmId),
      log: app.log,
      // Room for two pictures and a half.
      maxBytes: repo.totalBytes() + Math.round(one.data.length * 2.5),
    })
    const ids: number[] = []
    for (let i = 0; i < 4; i++) {
      const rule = app.alarms.rules.create({
        name: `Cap ${i}`,
        severity: 'info',
        trigger: { kind: 'manual' },
      })
      app.alarms.engine.raiseManual(app.alarms.engine.entry(rule.id)!.rule, 'guard1', undefined)
      const a = app.alarms.alarms.list({ ruleId: rule.id, limit: 1 })[0]!
      ids.push(a.id)
      capture.capture(a.id, [door])
      await waitFor(() => done.includes(a.id), `pictures of alarm ${a.id}`)
    }
    await capture.close()
    const kept = ids.filter((id) => existsSync(join(dir, `${id}-${door}.jpg`)))
    expect(kept.length).toBeLessThan(4)
    expect(kept).toEqual(ids.slice(ids.length - kept.length))
    expect(repo.file(ids[0]!, door)).toBeUndefined()
    expect(repo.file(ids[3]!, door)).toBeDefined()
  })
})

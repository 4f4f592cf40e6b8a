/**
 * The shift handover report of a real run: a push camera sending real JPEGs, an alarm a guard raises,
 * acknowledges and resolves with notes, its snapshot, an area armed and disarmed; then the report as HTML
 * (self-contained: the snapshot inline) and as a PDF read back with poppler's pdftotext.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm } from '../../shared/schemas/alarms'
import { sharedSimFrames } from '../video/sim/frames'
import { request, startVideoStation, type VideoStation } from '../video/test-support'
import { waitFor } from '../ws/live-test-client'

const run = promisify(execFile)
let s: VideoStation
let door: number
let alarm: Alarm
let pushing = true
let pump: Promise<void>
const tmp = mkdtempSync(join(tmpdir(), 'handover-'))

const as = (token: string) => ({ authorization: `Bearer ${token}` })
const post = async (url: string, token: string, payload: object) => {
  const res = await s.station.app.inject({ method: 'POST', url, headers: as(token), payload })
  expect(res.statusCode, res.body).toBeLessThan(300)
  return res.json().data as Record<string, unknown>
}
const report = (query: string, headers: Record<string, string> = as(s.guard)) =>
  request(`${s.url}/api/reports/handover${query}`, 'GET', headers)

beforeAll(async () => {
  s = await startVideoStation()
  door = await s.createCamera({ name: 'Loading dock', kind: 'push', fps: 10 })
  const frames = sharedSimFrames()
  let seq = 0
  pump = (async () => {
    while (pushing) {
      await s.push(door, frames.frame(seq++, Date.now(), 'dock'))
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  await waitFor(() => s.station.app.video.channel(door)?.online, 'the camera online')
  const area = await post('/api/areas', s.admin, { name: 'Warehouse' })
  await post(`/api/areas/${area.id}/arming`, s.guard, { armed: true })
  const rule = await post('/api/rules', s.admin, {
    name: 'Intruder at the dock',
    severity: 'critical',
    trigger: { kind: 'manual' },
    actions: { record: { cameraIds: [door] } },
  })
  alarm = (await post('/api/alarms', s.guard, {
    ruleId: rule.id,
    note: 'Person climbing the fence',
  })) as Alarm
  await waitFor(() => s.station.app.alarms.alarms.get(alarm.id)?.snapshots.length, 'the snapshot')
  await post(`/api/alarms/${alarm.id}/ack`, s.guard, { note: 'Going to look' })
  await post(`/api/alarms/${alarm.id}/resolve`, s.guard, { note: 'Only a fox & a <cat>' })
  await post(`/api/areas/${area.id}/arming`, s.guard, { armed: false })
}, 60_000)

afterAll(async () => {
  pushing = false
  await pump
  await s?.station.close()
  rmSync(tmp, { recursive: true, force: true })
})

describe('the shift handover report', () => {
  it('as HTML holds the alarm, its notes, its outcome, the arming changes and the snapshot inline', async () => {
    const res = await report('?timeZone=Europe/Berlin')
    expect(res.status, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).toContain("default-src 'none'")
    const html = res.raw.toString('utf8')
    expect(html).toContain('Intruder at the dock')
    expect(html).toContain('Person climbing the fence')
    expect(html).toContain('Going to look')
    // Notes are text, never markup.
    expect(html).toContain('Only a fox &amp; a &lt;cat&gt;')
    expect(html).toContain('by guard1')
    expect(html).toContain('(times in Europe/Berlin)')
    expect(html).toMatch(/Warehouse<\/td><td>Armed<\/td><td>guard1/)
    expect(html).toMatch(/Warehouse<\/td><td>Disarmed<\/td><td>guard1/)
    expect(html).toContain('Loading dock: ')
    expect(html).toContain('@media print')
    const jpeg = readFileSync(join(s.station.dataDir, 'alarm-snapshots', `${alarm.id}-${door}.jpg`))
    expect(html).toContain(`src="data:image/jpeg;base64,${jpeg.toString('base64')}"`)
    // Self-contained: nothing to fetch.
    expect(html).not.toMatch(/(src|href)="(https?:|\/)/)
  })

  it('as a PDF that parses and holds the alarm names and notes', async () => {
    const res = await report('?format=pdf')
    expect(res.status, res.body.slice(0, 200)).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="shift-report-.*\.pdf"$/)
    expect(res.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const file = join(tmp, 'report.pdf')
    writeFileSync(file, res.raw)
    const { stdout: text } = await run('pdftotext', ['-layout', file, '-'])
    for (const t of [
      'Shift handover report',
      'Intruder at the dock',
      'Person climbing the fence',
      'Going to look',
      'Only a fox & a <cat>',
      'Warehouse: armed by guard1',
      'Warehouse: disarmed by guard1',
    ])
      expect(text).toContain(t)
    expect(text).toMatch(/Alarms: 1 \(critical 1, warning 0, information 0\)/)
    // The snapshot is embedded as an image.
    const { stdout: images } = await run('pdfimages', ['-list', file])
    expect(images.split('\n').filter((l) => /\bjpeg\b|\bimage\b/.test(l)).length).toBeGreaterThanOrEqual(1)
  })

  it('is audited as report.export with its range and format, and opens with a stream token', async () => {
    const token = (await post('/api/v1/stream/token', s.guard, {})).token as string
    const to = Date.now()
    const res = await report(
      `?format=html&from=${to - 3_600_000}&to=${to}&token=${encodeURIComponent(token)}`,
      {},
    )
    expect(res.status).toBe(200)
    const rows = s.station.app.db
      .prepare(
        "SELECT actor_name AS actor, after_json AS after FROM audit_log WHERE action = 'report.export'",
      )
      .all() as { actor: string; after: string }[]
    const last = rows.at(-1)!
    expect(last.actor).toBe('guard1')
    expect(JSON.parse(last.after)).toMatchObject({ from: to - 3_600_000, to, format: 'html' })
    expect(last.after).not.toContain(token)
    expect(rows.some((r) => JSON.parse(r.after).format === 'pdf')).toBe(true)
  })

  it('refuses a range that ends before it starts, longer than 31 days, or an unknown zone', async () => {
    expect((await report('?from=2000&to=1000')).status).toBe(400)
    expect((await report(`?from=0&to=${40 * 86_400_000}`)).status).toBe(400)
    expect((await report('?timeZone=Mars/Olympus')).status).toBe(400)
    expect((await report('', {})).status).toBe(401)
  })
})

/**
 * `/metrics` passes Prometheus's own checker: a real station gets traffic that gives every family
 * samples (HTTP, reads, writes, queue commits, cameras, a video viewer), and its exposition is piped into
 * `promtool check metrics`, which must exit 0 with no lint finding. promtool comes with Debian's
 * `prometheus` package (CI installs it in .ci/run); without it this test fails, it does not skip.
 */
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startVideoStation,
  TEST_DEVICE_KEY,
  testFrame,
  waitFor,
  wsClient,
  type VideoStation,
} from '../video/test-support'

const PROMTOOL = process.env.PROMTOOL ?? 'promtool'

/**
 * Default-metric families whose samples come and go with the process's momentary state: pending libuv
 * requests, and garbage collections (none until the first one after the station started).
 */
const MAY_BE_EMPTY = new Set(['nodejs_active_requests', 'nodejs_gc_duration_seconds'])

function promtool(args: string[], input: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new Error(
              `promtool not found (${PROMTOOL}): install Debian's prometheus package ` +
                '(apt-get install --no-install-recommends prometheus), as .ci/run does, or set PROMTOOL',
            )
          : err,
      )
    })
    child.on('close', (code) => resolve({ code, output }))
    child.stdin.end(input)
  })
}

/** Family name → number of samples, from the text exposition. */
function families(text: string): Map<string, number> {
  const out = new Map<string, number>()
  let current: { name: string; type: string } | undefined
  for (const line of text.split('\n')) {
    const typed = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (typed) {
      current = { name: typed[1]!, type: typed[2]! }
      out.set(current.name, 0)
    } else if (current && line !== '' && !line.startsWith('#')) {
      out.set(current.name, out.get(current.name)! + 1)
    }
  }
  return out
}

describe('GET /metrics against promtool', () => {
  let s: VideoStation
  let url: string
  let admin: string

  beforeAll(async () => {
    s = await startVideoStation()
    url = s.url
    admin = s.admin
    const auth = { authorization: `Bearer ${admin}` }

    // Writes through the queues and the writer thread; reads through the read pool; a 404.
    const ingest = await fetch(`${url}/api/v1/ingest/sensor-data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-device-key': TEST_DEVICE_KEY },
      body: JSON.stringify({
        readings: [{ deviceId: 'prom-1', sensor: 'temperature', value: 21.5, unit: 'C', ts: Date.now() }],
      }),
    })
    expect(ingest.status).toBe(200)
    expect((await fetch(`${url}/api/events?limit=5`, { headers: auth })).status).toBe(200)
    expect((await fetch(`${url}/api/no-such-route`, { headers: auth })).status).toBe(404)

    // A push camera (a quote in its name: label escaping) with a viewer: per-camera figures and the
    // relay latency histogram.
    const id = await s.createCamera({ name: 'Gate "north"', kind: 'push' })
    const viewer = await wsClient(`${url.replace('http', 'ws')}/ws/stream/${id}`, { headers: auth })
    for (let seq = 1; seq <= 3; seq++) expect((await s.push(id, testFrame(seq))).status).toBe(200)
    await waitFor(() => viewer.frames.length > 0, 'the viewer receives a frame')
    viewer.close()
  })
  afterAll(() => s.station.close())

  it('passes `promtool check metrics` with no lint findings, every family with samples', async () => {
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })
    expect(res.status).toBe(200)
    const text = await res.text()

    const empty = [...families(text)].filter(([name, n]) => n === 0 && !MAY_BE_EMPTY.has(name))
    expect(empty.map(([name]) => name)).toEqual([])
    expect(families(text).size).toBeGreaterThan(60)

    const { code, output } = await promtool(['check', 'metrics'], text)
    expect(output.trim()).toBe('')
    expect(code).toBe(0)
  })

  it('promtool itself reports a broken exposition (the check is not a no-op)', async () => {
    const bad =
      '# HELP station_things_count Things\n# TYPE station_things_count counter\nstation_things_count 1\n'
    const { code, output } = await promtool(['check', 'metrics'], bad)
    expect(code).not.toBe(0)
    expect(output).toContain('_total')
  })
})

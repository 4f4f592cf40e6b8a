/**
 * Durability: the headless station runs as a child process, ingests over HTTP and WebSocket, and is killed
 * with SIGKILL the moment enough acknowledgements have arrived (while more requests are in flight). After a
 * restart on the same data, every acknowledged reading must be there.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import {
  adminToken,
  postBatch,
  PROCESS_DEVICE_KEY,
  startStationProcess,
  storedTimestamps,
  type StationProcess,
} from './devices/station-process'

const HTTP_DEVICES = 8
const WS_DEVICES = 2
const BATCH = 500
const KILL_AFTER_ACKED = 40_000

describe('durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'station-durability-'))
  const procs: StationProcess[] = []
  afterAll(() => {
    for (const p of procs) p.child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('keeps every acknowledged reading across kill -9', async () => {
    const first = await startStationProcess(dataDir)
    procs.push(first)
    const acked = new Map<string, number[]>()
    let ackedCount = 0
    let killed = false
    const ack = (deviceId: string, ts: number[]) => {
      const list = acked.get(deviceId) ?? []
      list.push(...ts)
      acked.set(deviceId, list)
      ackedCount += ts.length
      if (!killed && ackedCount >= KILL_AFTER_ACKED) {
        // Right after an acknowledgement, with other requests still in flight.
        killed = true
        first.child.kill('SIGKILL')
      }
    }

    const httpWorker = async (w: number) => {
      const deviceId = `dur-http-${w % HTTP_DEVICES}`
      for (let seq = 0; !killed; seq++) {
        const readings = Array.from({ length: BATCH }, (_, i) => ({
          deviceId,
          sensor: 'seq',
          value: seq,
          ts: 1_000_000 + w * 10_000_000 + seq * BATCH + i,
        }))
        const { status } = await postBatch(first.url, readings)
        if (status === 200)
          ack(
            deviceId,
            readings.map((r) => r.ts),
          )
        else if (status === 0) return
      }
    }

    const wsWorker = (d: number) =>
      new Promise<void>((resolve) => {
        const deviceId = `dur-ws-${d}`
        const ws = new WebSocket(`ws://127.0.0.1:${first.port}/ws/device?deviceId=${deviceId}`, {
          headers: { 'x-device-key': PROCESS_DEVICE_KEY },
        })
        const sent = new Map<number, number[]>()
        let id = 0
        const sendNext = () => {
          if (killed || ws.readyState !== ws.OPEN) return
          id++
          const ts = Array.from({ length: 10 }, (_, i) => 1_000_000 + id * 10 + i)
          sent.set(id, ts)
          ws.send(
            JSON.stringify({
              op: 'readings',
              id,
              readings: ts.map((t) => ({ sensor: 'seq', value: t, ts: t })),
            }),
          )
        }
        ws.on('open', () => {
          // A few messages in flight at a time.
          for (let i = 0; i < 4; i++) sendNext()
        })
        ws.on('message', (data) => {
          const msg = JSON.parse(data.toString()) as { op: string; id: number }
          if (msg.op === 'ack') {
            ack(deviceId, sent.get(msg.id) ?? [])
            sent.delete(msg.id)
          }
          sendNext()
        })
        ws.on('close', () => resolve())
        ws.on('error', () => resolve())
      })

    await Promise.all([
      ...Array.from({ length: 16 }, (_, w) => httpWorker(w)),
      ...Array.from({ length: WS_DEVICES }, (_, d) => wsWorker(d)),
    ])
    const exit = await first.exited
    expect(exit.signal).toBe('SIGKILL')
    expect(ackedCount).toBeGreaterThanOrEqual(KILL_AFTER_ACKED)
    // Both transports took part.
    expect(acked.get('dur-ws-0')?.length ?? 0).toBeGreaterThan(0)
    expect(acked.get('dur-http-0')?.length ?? 0).toBeGreaterThan(0)

    const second = await startStationProcess(dataDir)
    procs.push(second)
    const token = await adminToken(second.url)
    let checked = 0
    for (const [deviceId, list] of acked) {
      const stored = await storedTimestamps(second.url, token, deviceId, 'seq')
      const missing = list.filter((ts) => !stored.has(ts))
      expect(missing, `${deviceId}: acknowledged readings missing after kill -9`).toEqual([])
      checked += list.length
    }
    expect(checked).toBe(ackedCount)
    second.child.kill('SIGTERM')
    expect((await second.exited).code).toBe(0)
  }, 180_000)
})

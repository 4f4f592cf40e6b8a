/**
 * Device capabilities (issue 14.6): a heartbeat (WebSocket or HTTP) says what the device can do; the
 * station validates it against the known list, stores it on the device, shows it in the device view,
 * and refuses buzzer commands for a device that reported no buzzer (409 NO_BUZZER). A device that never
 * reported (older firmware) keeps today's behaviour: capabilities null, buzzer commands tried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { parseDeviceMessage } from './ingest-validation'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'

const KEY = { 'x-device-key': TEST_DEVICE_KEY }

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('capabilities in the device protocol', () => {
  it('accepts the known capabilities and refuses anything else', () => {
    expect(parseDeviceMessage('{"op":"heartbeat","id":1,"capabilities":["buzzer"]}')).toMatchObject({
      ok: true,
      value: { op: 'heartbeat', capabilities: ['buzzer'] },
    })
    expect(parseDeviceMessage('{"op":"heartbeat","capabilities":[]}')).toMatchObject({ ok: true })
    expect(parseDeviceMessage('{"op":"heartbeat"}')).toMatchObject({ ok: true })
    expect(parseDeviceMessage('{"op":"heartbeat","id":2,"capabilities":["laser"]}')).toMatchObject({
      ok: false,
      id: 2,
    })
    expect(parseDeviceMessage('{"op":"heartbeat","capabilities":["buzzer","buzzer"]}')).toMatchObject({
      ok: false,
    })
    expect(parseDeviceMessage('{"op":"heartbeat","capabilities":"buzzer"}')).toMatchObject({ ok: false })
  })
})

describe('capabilities on a real station', () => {
  let st: TestStation
  let guard: Record<string, string>
  let ws: string
  beforeAll(async () => {
    st = await createTestStation()
    guard = { authorization: `Bearer ${await st.guardToken()}` }
    ws = (await st.start()).url.replace(/^http/, 'ws')
  })
  afterAll(() => st.close())

  const device = async (id: string) => {
    const res = await st.app.inject({ method: 'GET', url: `/api/v1/devices/${id}`, headers: guard })
    return res.statusCode === 200 ? (res.json().data as { capabilities: string[] | null }) : undefined
  }
  const stored = (id: string) =>
    (
      st.app.db.prepare('SELECT capabilities FROM devices WHERE id = ?').get(id) as
        { capabilities: string | null } | undefined
    )?.capabilities
  const trigger = (id: string) =>
    st.app.inject({
      method: 'POST',
      url: `/api/v1/buzzer/${id}`,
      headers: guard,
      payload: { action: 'on', durationMs: 1000 },
    })
  /** A device socket that sent one heartbeat and got its answer. */
  const socketWith = async (id: string, heartbeat: object) => {
    const sock = new WebSocket(`${ws}/ws/device?deviceId=${id}`, { headers: KEY })
    const answers: { op: string; id?: number; code?: string }[] = []
    sock.on('message', (d) => answers.push(JSON.parse(d.toString())))
    await new Promise<void>((resolve, reject) => {
      sock.once('open', () => resolve())
      sock.once('error', reject)
    })
    sock.send(JSON.stringify({ op: 'heartbeat', id: 1, ...heartbeat }))
    await until('the heartbeat answer', () => answers.some((a) => a.id === 1))
    return { sock, answers }
  }

  it('a sensor-only device (capabilities []) is stored and shown so, and refused buzzer commands', async () => {
    const { sock, answers } = await socketWith('sensor-1', { capabilities: [] })
    expect(answers.find((a) => a.id === 1)).toMatchObject({ op: 'ack' })
    await until('the row to be stored', () => stored('sensor-1') === '[]')
    expect(await device('sensor-1')).toMatchObject({ capabilities: [] })
    const res = await trigger('sensor-1')
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ success: false, code: 'NO_BUZZER' })
    expect(res.json().message).toMatch(/sensor-1 has no buzzer/)
    sock.close()
  })

  it('a buzzer device (capabilities ["buzzer"]) gets its commands', async () => {
    const { sock } = await socketWith('siren-1', { capabilities: ['buzzer'] })
    await until('the row to be stored', () => stored('siren-1') === '["buzzer"]')
    expect(await device('siren-1')).toMatchObject({ capabilities: ['buzzer'] })
    expect((await trigger('siren-1')).statusCode).toBe(200)
    sock.close()
  })

  it('an unknown capability is refused with VALIDATION, and nothing is stored', async () => {
    const { sock, answers } = await socketWith('odd-1', { capabilities: ['laser'] })
    expect(answers.find((a) => a.id === 1)).toMatchObject({ op: 'error', code: 'VALIDATION' })
    expect(stored('odd-1') ?? null).toBeNull()
    sock.close()
  })

  it('over HTTP: the heartbeat body reports them; no body (older firmware) keeps today’s behaviour', async () => {
    const beat = (id: string, payload?: object) =>
      st.app.inject({ method: 'POST', url: `/api/v1/devices/${id}/heartbeat`, headers: KEY, payload })
    expect((await beat('old-1')).statusCode).toBe(200)
    await until('the old device to be registered', async () => (await device('old-1')) !== undefined)
    expect(await device('old-1')).toMatchObject({ capabilities: null })
    expect((await trigger('old-1')).statusCode).toBe(200) // tried, as before

    expect((await beat('poller-1', { capabilities: [] })).statusCode).toBe(200)
    await until('the row to be stored', () => stored('poller-1') === '[]')
    expect((await trigger('poller-1')).json()).toMatchObject({ code: 'NO_BUZZER' })
    // It gains a buzzer (new firmware): the next heartbeat says so.
    expect((await beat('poller-1', { capabilities: ['buzzer'] })).statusCode).toBe(200)
    await until('the change to be stored', () => stored('poller-1') === '["buzzer"]')
    expect((await trigger('poller-1')).statusCode).toBe(200)
    expect((await beat('poller-1', { capabilities: ['laser'] })).statusCode).toBe(400)
  })
})

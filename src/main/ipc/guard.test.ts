import { describe, expect, it } from 'vitest'
import { checkLiveStart, checkRequest, checkSender, IpcGuardError, MAX_ARGS_BYTES } from './guard'

const own = (url: string) => url.startsWith('http://127.0.0.1:8787/')

describe('checkSender', () => {
  it("accepts the main frame of the station's own page", () => {
    expect(() =>
      checkSender({ senderFrame: { url: 'http://127.0.0.1:8787/', parent: null } }, own),
    ).not.toThrow()
  })

  it('refuses a foreign page, a child frame and a vanished frame', () => {
    const cases = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'http://127.0.0.1:8787.evil.example/', parent: null } },
      { senderFrame: { url: 'file:///tmp/x.html', parent: null } },
      { senderFrame: { url: 'http://127.0.0.1:8787/', parent: { url: 'http://127.0.0.1:8787/' } } },
      { senderFrame: null },
    ]
    for (const event of cases)
      expect(() => checkSender(event, own), JSON.stringify(event)).toThrow(IpcGuardError)
  })
})

describe('checkRequest', () => {
  it('passes a known operation with plain arguments and a token', () => {
    expect(checkRequest('cameras:update', { id: 3, name: 'Gate', enabled: true }, 'tok')).toEqual({
      op: 'cameras:update',
      args: { id: 3, name: 'Gate', enabled: true },
      token: 'tok',
    })
    expect(checkRequest('cameras:list', undefined, null)).toEqual({
      op: 'cameras:list',
      args: {},
      token: null,
    })
  })

  it('refuses names outside the contract, including inherited properties', () => {
    for (const op of ['cameras:drop', 'toString', '__proto__', 'constructor', 42, null]) {
      expect(() => checkRequest(op, {}, null), String(op)).toThrow(/unknown operation/)
    }
  })

  it('refuses arguments that are not a plain JSON object', () => {
    for (const args of [
      [1, 2],
      'x',
      7,
      new Date(),
      new Map(),
      { when: new Date() },
      { n: Number.NaN },
      { n: Infinity },
    ]) {
      expect(() => checkRequest('events:list', args, null)).toThrow(IpcGuardError)
    }
  })

  it('refuses prototype keys at any depth', () => {
    expect(() => checkRequest('cameras:create', JSON.parse('{"__proto__":{"admin":true}}'), null)).toThrow(
      /forbidden key|__proto__/,
    )
    expect(() => checkRequest('cameras:create', { a: JSON.parse('{"__proto__":1}') }, null)).toThrow(
      /__proto__/,
    )
    expect(() => checkRequest('cameras:create', { constructor: 1 }, null)).toThrow(IpcGuardError)
  })

  it('refuses deep nesting and oversized arguments', () => {
    expect(() => checkRequest('cameras:create', { a: { b: { c: { d: { e: 1 } } } } }, null)).toThrow(
      /too deep/,
    )
    expect(() => checkRequest('cameras:create', { name: 'x'.repeat(MAX_ARGS_BYTES) }, null)).toThrow(
      /too large/,
    )
  })

  it('requires the path parameters of the operation', () => {
    expect(() => checkRequest('cameras:delete', {}, 't')).toThrow(/needs "id"/)
    expect(() => checkRequest('cameras:delete', { id: { $gt: 1 } }, 't')).toThrow(/needs "id"/)
    expect(() => checkRequest('buzzer:trigger', { action: 'on' }, 't')).toThrow(/needs "deviceId"/)
    expect(() => checkRequest('devices:get', { id: '' }, 't')).toThrow(/needs "id"/)
  })

  it('refuses a malformed token', () => {
    expect(() => checkRequest('auth:me', {}, 12)).toThrow(/token/)
    expect(() => checkRequest('auth:me', {}, 'x'.repeat(300))).toThrow(/token/)
  })
})

describe('checkLiveStart', () => {
  it('needs a numeric subscription id and a token', () => {
    expect(checkLiveStart(1, 'tok')).toEqual({ subId: 1, token: 'tok' })
    expect(() => checkLiveStart('1', 'tok')).toThrow(IpcGuardError)
    expect(() => checkLiveStart(-1, 'tok')).toThrow(IpcGuardError)
    expect(() => checkLiveStart(1, '')).toThrow(IpcGuardError)
    expect(() => checkLiveStart(1, null)).toThrow(IpcGuardError)
  })
})

/**
 * The contract matches the station: every operation names a route that exists with that method and
 * path, and the route's authorization is the access the contract records (so the UI hides exactly what
 * the station refuses).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPERATION_NAMES, OPERATIONS } from '../../shared/contract'
import { createTestStation, type TestStation } from '../server/test-helper'

describe('the contract against the station', () => {
  let station: TestStation
  let guard: string

  beforeAll(async () => {
    station = await createTestStation()
    guard = await station.guardToken()
  })
  afterAll(() => station.close())

  it.each(OPERATION_NAMES)('%s is a route of the station', (op) => {
    const { method, path } = OPERATIONS[op]
    expect(station.app.hasRoute({ method, url: path })).toBe(true)
  })

  it.each(OPERATION_NAMES)("%s has the contract's access", async (op) => {
    const { method, path, access } = OPERATIONS[op]
    const url = path.replace(/:[A-Za-z]+/g, '1')
    const payload = method === 'POST' || method === 'PUT' ? {} : undefined
    const anon = await station.app.inject({ method, url, ...(payload ? { payload } : {}) })
    // Signing out ends the session it is called with: use one of its own.
    const token = op === 'auth:logout' ? await station.login('guard1', 'guard-password-1') : guard
    const asGuard = await station.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    })
    if (access === 'public') expect(anon.statusCode).not.toBe(401)
    else expect(anon.statusCode).toBe(401)
    if (access === 'admin') expect(asGuard.statusCode).toBe(403)
    if (access === 'guard') expect([401, 403]).not.toContain(asGuard.statusCode)
  })
})

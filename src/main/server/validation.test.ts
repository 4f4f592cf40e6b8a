import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from './test-helper'
import errorsPlugin from './plugins/errors'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('input is validated as sent', () => {
  let st: TestStation
  let admin: string
  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
  })
  afterAll(() => st.close())

  const post = (payload: object) =>
    st.app.inject({ method: 'POST', url: '/api/cameras', headers: bearer(admin), payload })

  it('never coerces bodies: an array is not a string, "false" is not a boolean', async () => {
    for (const payload of [
      { name: ['Gate'], kind: 'push' },
      { name: 'Gate', kind: 'push', enabled: 'false' },
    ]) {
      const res = await post(payload)
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      expect(res.json()).toMatchObject({ success: false, code: 'VALIDATION' })
    }
    const list = await st.app.inject({ method: 'GET', url: '/api/cameras', headers: bearer(admin) })
    expect(list.json().data).toEqual([])
    expect((await post({ name: 'Gate', kind: 'push', enabled: false })).statusCode).toBe(201)
  })

  it('parses query numbers strictly: finite, within bounds; valid ones still work', async () => {
    const get = (q: string) =>
      st.app.inject({ method: 'GET', url: `/api/events?${q}`, headers: bearer(admin) })
    for (const q of ['from=1e400', 'to=-1e400', 'limit=1e400', 'limit=abc']) {
      const res = await get(q)
      expect(res.statusCode, q).toBe(400)
      expect(res.json()).toMatchObject({ code: 'VALIDATION' })
    }
    expect((await get('limit=5&from=0')).statusCode).toBe(200)
  })
})

describe('error answers', () => {
  it('never send internal error codes to clients', async () => {
    const app = Fastify({ logger: false })
    await app.register(errorsPlugin)
    app.get('/boom', async () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    })
    app.get('/fastify-refusal', async () => {
      throw Object.assign(new Error('Unsupported Media Type'), {
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        statusCode: 415,
      })
    })
    const boom = await app.inject({ method: 'GET', url: '/boom' })
    expect(boom.statusCode).toBe(500)
    expect(boom.json()).toMatchObject({ code: 'INTERNAL', message: 'Internal error' })
    expect(boom.body).not.toMatch(/SQLITE|disk is full/)
    const refused = await app.inject({ method: 'GET', url: '/fastify-refusal' })
    expect(refused.json()).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' })
    await app.close()
  })
})

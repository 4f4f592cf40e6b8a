/** `GET /api/audit`: admins only, filters, paging, CSV; nothing changes or removes an entry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from '../server/test-helper'
import { SYSTEM_ACTOR } from './request-origin'
import { auditCsv, csvField } from '../../shared/audit-csv'
import type { AuditEntry } from '../../shared/schemas/audit'

describe('GET /api/audit', () => {
  let st: TestStation
  let admin: string
  const get = (url: string, token = admin) =>
    st.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })
  const page = async (query: string) => {
    const res = await get(`/api/audit?${query}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json().data as { entries: AuditEntry[]; total: number }
  }

  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
    const record = (at: number, action: string, name: string, after: unknown) =>
      st.app.audit.record({
        at,
        actor: { kind: 'user', id: 7, name },
        source: '10.0.0.7',
        action,
        target: { kind: 'camera', id: at },
        after,
      })
    await record(1_000, 'camera.create', 'alice', { name: 'Gate, "north"\nside' })
    await record(2_000, 'camera.update', 'alice', { name: '=HYPERLINK("x")' })
    await record(3_000, 'camera.delete', 'Bob', null)
    await record(4_000, 'user.create', 'bob', { username: 'carol' })
    await st.app.audit.record({ at: 5_000, actor: SYSTEM_ACTOR, source: 'station', action: 'cache.clear' })
  })
  afterAll(() => st.close())

  it('filters by time, actor (any case) and action (exact or domain.*), newest first', async () => {
    const inRange = await page('from=1000&to=4000')
    expect(inRange.entries.map((e) => e.at)).toEqual([4000, 3000, 2000, 1000])
    expect((await page('from=1000&to=4000&actor=BOB')).entries.map((e) => e.at)).toEqual([4000, 3000])
    expect((await page('action=camera.update')).entries.map((e) => e.at)).toEqual([2000])
    expect((await page('from=0&to=9000&action=camera.*')).entries.map((e) => e.action)).toEqual([
      'camera.delete',
      'camera.update',
      'camera.create',
    ])
    expect((await page('action=camera.create')).entries[0]).toMatchObject({
      actorKind: 'user',
      actorId: 7,
      actorName: 'alice',
      source: '10.0.0.7',
      targetKind: 'camera',
      targetId: '1000',
      before: null,
      after: { name: 'Gate, "north"\nside' },
    })
    expect((await get('/api/audit?from=5&to=1')).statusCode).toBe(400)
    expect((await get('/api/audit?action=DROP%20TABLE')).statusCode).toBe(400)
  })

  it('pages with limit and offset, with the total of the filter', async () => {
    const first = await page('from=1000&to=5000&limit=2')
    const second = await page('from=1000&to=5000&limit=2&offset=2')
    expect(first.total).toBe(5)
    expect(first.entries.map((e) => e.at)).toEqual([5000, 4000])
    expect(second.entries.map((e) => e.at)).toEqual([3000, 2000])
  })

  it('exports CSV with proper escaping and a file name', async () => {
    const res = await get('/api/audit?format=csv&from=1000&to=3000')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/csv/)
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="audit-1970-01-01T0000-1970-01-01T0000.csv"',
    )
    const lines = res.body.split('\r\n')
    expect(lines[0]).toBe(
      'seq,at,time,actorKind,actorId,actorName,source,action,targetKind,targetId,before,after,prevHash,hash',
    )
    // Oldest first; JSON with quotes, commas and a line break is quoted, quotes doubled.
    expect(res.body).toContain(',camera.create,camera,1000,,"{""name"":""Gate, \\""north\\""\\nside""}",')
    expect(lines.at(-1)).toBe('')
    expect(res.body.trimEnd().split('\r\n')).toHaveLength(4)
  })

  it('escapes fields a spreadsheet would run as formulas', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)")
    expect(csvField('-1')).toBe("'-1")
    expect(csvField(-1)).toBe('-1')
    expect(csvField('a"b')).toBe('"a""b"')
    expect(csvField(null)).toBe('')
    expect(auditCsv([])).toBe(
      'seq,at,time,actorKind,actorId,actorName,source,action,targetKind,targetId,before,after,prevHash,hash\r\n',
    )
  })

  it('is for admins only', async () => {
    const guard = await st.guardToken()
    expect((await get('/api/audit', guard)).statusCode).toBe(403)
    expect((await get('/api/audit?format=csv', guard)).statusCode).toBe(403)
    expect((await st.app.inject({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401)
  })

  it('has no route that changes or removes an entry: 405 for every other method', async () => {
    const routes = st.app.routeTable.filter((r) => r.url.startsWith('/api/audit'))
    expect(routes.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['GET /api/audit', 'HEAD /api/audit'])
    for (const method of ['PUT', 'DELETE', 'PATCH', 'POST'] as const) {
      const res = await st.app.inject({
        method,
        url: '/api/audit',
        headers: { authorization: `Bearer ${admin}` },
        payload: {},
      })
      expect(res.statusCode, method).toBe(405)
      expect(res.headers.allow).toMatch(/GET/)
    }
    const one = await st.app.inject({
      method: 'DELETE',
      url: '/api/audit/1',
      headers: { authorization: `Bearer ${admin}` },
    })
    expect(one.statusCode).toBe(404)
    expect((await page('from=1000&to=5000')).total).toBe(5)
  })

  it('is in the OpenAPI document', async () => {
    const doc = (await st.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    expect(Object.keys(doc.paths['/api/audit'])).toEqual(['get'])
    expect(doc.paths['/api/audit'].get.tags).toEqual(['audit'])
  })
})

import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import errorsPlugin from './errors'
import { PoolClosedError, ReadQueryError, readErrors } from '../../database/read-errors'

describe('error answers for the read pool', () => {
  const app = Fastify({ logger: false })
  const failures: Record<string, () => Error> = {
    timeout: () => readErrors.timeout('readings.buckets', 15_000),
    died: () => readErrors.workerDied('readings.range', new Error('The read worker exited (code 1)')),
    down: () => readErrors.down(new Error('unable to open database file')),
    busy: () => readErrors.busy(15_000),
    closed: () => new PoolClosedError(),
    sqlite: () =>
      new ReadQueryError({ name: 'SqliteError', message: 'no such column: x', code: 'SQLITE_ERROR' }),
  }
  beforeAll(async () => {
    await app.register(errorsPlugin)
    app.get<{ Params: { kind: string } }>('/fail/:kind', async (req) => {
      throw failures[req.params.kind]!()
    })
    await app.ready()
  })
  afterAll(() => app.close())

  const get = (kind: string) => app.inject({ method: 'GET', url: `/fail/${kind}` })

  it('answers each with its status, code, a clear message and retry-after where retrying helps', async () => {
    const timeout = await get('timeout')
    expect(timeout.statusCode).toBe(504)
    expect(timeout.json()).toEqual({
      success: false,
      statusCode: 504,
      error: 'Gateway Timeout',
      code: 'READ_TIMEOUT',
      message:
        'The read readings.buckets took longer than 15000 ms and was stopped; ask for a shorter range or a wider bucket',
    })
    expect(timeout.headers['retry-after']).toBeUndefined()

    const died = await get('died')
    expect(died.statusCode).toBe(503)
    expect(died.json()).toMatchObject({
      code: 'READ_WORKER_DIED',
      message: 'The read worker running readings.range stopped unexpectedly; try again',
    })
    expect(died.headers['retry-after']).toBe('1')

    const down = await get('down')
    expect(down.json()).toMatchObject({
      statusCode: 503,
      code: 'READ_POOL_DOWN',
      message: 'The read workers cannot start: unable to open database file',
    })
    expect(down.headers['retry-after']).toBe('5')

    expect((await get('busy')).json()).toMatchObject({ statusCode: 503, code: 'OVERLOADED' })
    expect((await get('closed')).json()).toMatchObject({ statusCode: 503, code: 'SHUTTING_DOWN' })
  })

  it('keeps a query SQLite refused an internal error (a bug, not a load problem)', async () => {
    const res = await get('sqlite')
    expect(res.statusCode).toBe(500)
    expect(res.json()).toMatchObject({ message: 'Internal error' })
  })
})

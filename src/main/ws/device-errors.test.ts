/** Error frames to devices carry a machine-readable code, and retryAfterSeconds when resending will work. */
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { QueueClosedError, QueueFullError } from '../queues/group-commit-queue'
import { errors } from '../server/errors'
import { createTestStation, TEST_DEVICE_KEY } from '../server/test-helper'
import { failureFrame, refusedFrame, refusedMessageCode, SHUTDOWN_RETRY_SECONDS } from './device-errors'

describe('device error frames', () => {
  it('classifies what the parser refused', () => {
    expect(refusedMessageCode('Malformed JSON')).toBe('BAD_JSON')
    expect(refusedMessageCode('Unknown op "dance"')).toBe('UNKNOWN_OP')
    expect(refusedMessageCode('Missing op')).toBe('UNKNOWN_OP')
    expect(refusedMessageCode('Invalid reading: value: Expected number')).toBe('VALIDATION')
    expect(refusedMessageCode('A batch holds at most 1000 readings')).toBe('VALIDATION')
    expect(refusedFrame(4, 'Missing op')).toEqual({
      op: 'error',
      id: 4,
      code: 'UNKNOWN_OP',
      message: 'Missing op',
    })
    expect(refusedFrame(undefined, 'Malformed JSON')).not.toHaveProperty('id')
  })

  it('tells a device when to resend: a full queue, a station shutting down', () => {
    expect(failureFrame(7, new QueueFullError('readings', 2))).toEqual({
      op: 'error',
      id: 7,
      code: 'OVERLOADED',
      message: expect.stringContaining('retry after 2 s'),
      retryAfterSeconds: 2,
    })
    expect(failureFrame(8, new QueueClosedError('readings'))).toMatchObject({
      id: 8,
      code: 'SHUTTING_DOWN',
      retryAfterSeconds: SHUTDOWN_RETRY_SECONDS,
    })
    expect(failureFrame(9, errors.shuttingDown())).toMatchObject({
      code: 'SHUTTING_DOWN',
      retryAfterSeconds: 5,
    })
    expect(failureFrame(9, errors.overloaded('busy', 3))).toMatchObject({
      code: 'OVERLOADED',
      retryAfterSeconds: 3,
    })
  })

  it('keeps the catalogue code of station errors; never leaks internal messages', () => {
    expect(failureFrame(1, errors.notFound('Buzzer request x'))).toEqual({
      op: 'error',
      id: 1,
      code: 'NOT_FOUND',
      message: 'Buzzer request x not found',
    })
    expect(failureFrame(1, errors.conflict('already acknowledged'))).toMatchObject({ code: 'CONFLICT' })
    expect(failureFrame(1, errors.badRequest('bad'))).toMatchObject({ code: 'VALIDATION' })
    const internal = failureFrame(1, new Error('SQLITE_CORRUPT: database disk image is malformed'))
    expect(internal).toEqual({ op: 'error', id: 1, code: 'INTERNAL', message: 'Internal error' })
  })

  it('a device socket gets OVERLOADED with retryAfterSeconds when the write queue is full', async () => {
    const st = await createTestStation({ STATION_READING_QUEUE_MAX: '1' })
    try {
      const { port } = await st.start()
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/device?deviceId=ws-busy`, {
        headers: { 'x-device-key': TEST_DEVICE_KEY },
      })
      await new Promise((resolve, reject) => {
        ws.once('open', resolve)
        ws.once('error', reject)
      })
      const answer = new Promise<Record<string, unknown>>((resolve) =>
        ws.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>)),
      )
      // Two readings can never fit a queue bounded at one.
      ws.send(
        JSON.stringify({
          op: 'readings',
          id: 1,
          readings: [
            { sensor: 't', value: 1 },
            { sensor: 't', value: 2 },
          ],
        }),
      )
      expect(await answer).toMatchObject({ op: 'error', id: 1, code: 'OVERLOADED', retryAfterSeconds: 1 })
      ws.close()
    } finally {
      await st.close()
    }
  })
})

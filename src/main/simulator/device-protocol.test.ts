/** How the simulated devices read the station's answers: buzzer commands and error-frame codes. */
import { describe, expect, it } from 'vitest'
import { commandsIn } from './http-device'
import { isTransient, retryAfterMs } from './ws-device'

describe('simulated devices read the protocol', () => {
  it('finds buzzer commands in data.commands (heartbeat and pending alike)', () => {
    const cmd = { op: 'buzzer', requestId: 'r1', action: 'on', durationMs: 1000 }
    expect(commandsIn({ success: true, data: { serverTime: 1, commands: [cmd] } })).toEqual([cmd])
    expect(commandsIn({ success: true, data: { serverTime: 1, commands: [] } })).toEqual([])
    // Anything that is not a well-formed command is left out.
    expect(
      commandsIn({
        data: {
          commands: [
            { requestId: 3, action: 'on' },
            { requestId: 'x', action: 'dance' },
          ],
        },
      }),
    ).toEqual([])
    expect(commandsIn({ success: false, message: 'nope' })).toEqual([])
  })

  it('resends after OVERLOADED and SHUTTING_DOWN only, by code rather than by message text', () => {
    expect(isTransient('OVERLOADED')).toBe(true)
    expect(isTransient('SHUTTING_DOWN')).toBe(true)
    for (const code of ['VALIDATION', 'BAD_JSON', 'UNKNOWN_OP', 'NOT_FOUND', 'INTERNAL', undefined]) {
      expect(isTransient(code)).toBe(false)
    }
    expect(retryAfterMs(5)).toBe(5000)
    expect(retryAfterMs(undefined)).toBe(1000)
    expect(retryAfterMs('2')).toBe(1000)
  })
})

import { describe, expect, it } from 'vitest'
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from './passwords'

describe('passwords', () => {
  it('refuses short, common and username-like passwords', () => {
    expect(passwordProblem('short', 'ann')).toMatch(/at least 10/)
    expect(passwordProblem('password123', 'ann')).toMatch(/most common/)
    expect(passwordProblem('Qwertyuiop', 'ann')).toMatch(/most common/)
    expect(passwordProblem('aaaaaaaaaaaa', 'ann')).toMatch(/most common/)
    expect(passwordProblem('nightguard01', 'NightGuard01')).toMatch(/username/)
    expect(passwordProblem('nightguard2024!', 'nightguard')).toMatch(/username/)
    expect(passwordProblem('correct horse battery', 'ann')).toBeUndefined()
  })

  it("hashes at OWASP's scrypt cost (N=2^17, r=8, p=1) and flags older hashes for an upgrade", async () => {
    const hash = await hashPassword('correct horse battery')
    expect(hash.split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** 17), '8', '1'])
    expect(needsRehash(hash)).toBe(false)
    expect(await verifyPassword('correct horse battery', hash)).toBe(true)
    expect(await verifyPassword('wrong horse battery', hash)).toBe(false)
    expect(needsRehash('scrypt$32768$8$1$c2FsdA$aGFzaA')).toBe(true)
  })
})

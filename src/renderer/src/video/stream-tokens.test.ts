import { describe, expect, it } from 'vitest'
import type { Transport } from '../transport/types'
import { StreamTokens } from './stream-tokens'

function tokens() {
  let n = 0
  const transport = {
    request: () => Promise.resolve({ token: `t${++n}`, expiresAt: 60_000 }),
  } as unknown as Transport
  return { tokens: new StreamTokens(transport, () => 0), issued: () => n }
}

describe('StreamTokens', () => {
  it('one fresh token serves every tile', async () => {
    const t = tokens()
    expect(await Promise.all([t.tokens.get(), t.tokens.get()])).toEqual(['t1', 't1'])
    expect(await t.tokens.get()).toBe('t1')
    expect(t.issued()).toBe(1)
  })

  it('a refused token is dropped, so the next get fetches a fresh one', async () => {
    const t = tokens()
    const first = await t.tokens.get()
    t.tokens.forget(first)
    expect(await t.tokens.get()).toBe('t2')
  })

  it("one tile's refusal of an old token keeps the fresh one another tile already fetched", async () => {
    const t = tokens()
    const old = await t.tokens.get()
    t.tokens.forget(old)
    const fresh = await t.tokens.get()
    t.tokens.forget(old)
    expect(await t.tokens.get()).toBe(fresh)
    expect(t.issued()).toBe(2)
    t.tokens.forget()
    expect(await t.tokens.get()).toBe('t3')
  })
})

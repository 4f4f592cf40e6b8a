/**
 * scrypt password hashes: `scrypt$N$r$p$salt$hash` (base64url), verified in constant time. The cost is
 * OWASP's current recommendation (N=2^17, r=8, p=1: 128 MiB and about a second per hash on a small
 * 2-core machine); hashes made with a lower cost are upgraded on the next successful sign-in.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { COMMON_PASSWORDS } from './common-passwords'

const N = 2 ** 17
const R = 8
const P = 1
const KEYLEN = 32
/** 128 * N * r bytes, plus headroom. */
const MAXMEM = 256 * 1024 * 1024

/** A hash of nothing at the current cost: verified against for unknown users, so timing reveals nothing. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`

/** Whether a stored hash was made with a lower cost than today's (re-hash it on the next sign-in). */
export function needsRehash(stored: string): boolean {
  const [alg, n, r, p] = stored.split('$')
  return alg !== 'scrypt' || Number(n) < N || Number(r) < R || Number(p) < P
}

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEYLEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
  )
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, { N, r: R, p: P, maxmem: MAXMEM })
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$')
  if (alg !== 'scrypt' || !n || !r || !p || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A password strong enough to print once on first run. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url')
}

/** Checked on user creation and password change: length, the commonest passwords, the username. */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < 10) return 'Password must be at least 10 characters'
  if (password.length > 256) return 'Password must be at most 256 characters'
  const p = password.normalize('NFKC').toLowerCase()
  const u = username.normalize('NFKC').toLowerCase()
  if (u && (p === u || p.replace(/[\d!?.]+$/u, '') === u || p === [...u].reverse().join(''))) {
    return 'Password must not be the username'
  }
  if (COMMON_PASSWORDS.has(p) || new Set(p).size <= 2) {
    return 'This password is one of the most common ones and would be guessed first: choose another'
  }
  return undefined
}

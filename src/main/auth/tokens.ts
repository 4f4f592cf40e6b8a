import { hash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A bearer token for a session, a device or a camera: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Tokens are stored hashed: a stolen database file does not hand out sessions. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'base64url')
}

/** The digest a secret is compared by (see `matchesSecret`); compute it once per secret. */
export function secretDigest(secret: string): Buffer {
  return hash('sha256', secret, 'buffer') as unknown as Buffer
}

/** Constant-time check of a presented secret against a secret's digest, whatever their lengths. */
export function matchesSecret(presented: string, digest: Buffer): boolean {
  return timingSafeEqual(secretDigest(presented), digest)
}

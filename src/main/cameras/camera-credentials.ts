/**
 * A camera's credentials after a write. They come, highest first, from the body's `username`/`password`
 * (null or '' clears), the `url`'s userinfo, the `subUrl`'s userinfo, then what is stored. A camera has
 * one set of credentials for all its streams: a sub stream URL whose userinfo differs from the body's or
 * the main URL's is refused (the problem never repeats the values: they are secrets).
 */
import type { CameraUrlCheck } from './camera-url'

type FromUrl = Pick<Extract<CameraUrlCheck, { ok: true }>, 'username' | 'password'>
type Credentials = { username: string | null; password: string | null }

export interface CredentialSources {
  given: { username?: string | null | undefined; password?: string | null | undefined }
  url: FromUrl
  subUrl: FromUrl
  stored: Credentials
}

export type CredentialsCheck = ({ ok: true } & Credentials) | { ok: false; problem: string }

const FIELDS = ['username', 'password'] as const

export function mergeCredentials(s: CredentialSources): CredentialsCheck {
  const out: Credentials = { ...s.stored }
  for (const field of FIELDS) {
    const given = s.given[field]
    const fromUrl = s.url[field]
    // The sub URL's userinfo counts where it says something: `user@host` names no password.
    const fromSub = s.subUrl[field] || undefined
    const higher =
      given !== undefined
        ? { value: given || null, from: `the ${field} field` }
        : fromUrl !== undefined
          ? { value: fromUrl || null, from: 'the url' }
          : undefined
    if (fromSub !== undefined && higher && higher.value !== fromSub) {
      return {
        ok: false,
        problem: `The subUrl's ${field} differs from ${higher.from}: a camera has one set of credentials for all its streams`,
      }
    }
    if (higher) out[field] = higher.value
    else if (fromSub !== undefined) out[field] = fromSub
  }
  return { ok: true, ...out }
}

/**
 * The Prometheus scrape credential, for `/metrics` only (routes whose policy is `admin-or-scraper`):
 * a metrics token that admins issue (shown once, stored hashed like device tokens, in the settings table)
 * and revoke, and an optional allowlist of scraper addresses (STATION_METRICS_ALLOW). A scraper needs no
 * user account and no session that expires every 12 hours.
 */
import { BlockList, isIPv4 } from 'node:net'
import type { SettingsRepository } from '../settings/settings-repository'
import { hashToken, matchesSecret, newToken } from './tokens'

const SETTING = 'metrics.token'

interface StoredToken {
  /** hashToken() of the token: the token itself is never stored. */
  hash: string
  issuedAt: number
  issuedBy: string | null
}

export interface MetricsTokenStatus {
  issued: boolean
  issuedAt: number | null
  issuedBy: string | null
}

export class ScrapeCredential {
  private stored: (StoredToken & { digest: Buffer }) | undefined
  private readonly allowed = new BlockList()
  readonly allow: readonly string[]

  constructor(
    private readonly settings: SettingsRepository,
    /** `address/prefix` entries (config.metricsAllow). */
    allow: readonly string[],
  ) {
    this.allow = [...allow]
    for (const entry of allow) {
      const [address = '', prefix = ''] = entry.split('/')
      this.allowed.addSubnet(address, Number(prefix), isIPv4(address) ? 'ipv4' : 'ipv6')
    }
    this.load(settings.get<StoredToken>(SETTING))
  }

  private load(t: StoredToken | undefined): void {
    this.stored = t ? { ...t, digest: Buffer.from(t.hash, 'base64url') } : undefined
  }

  status(): MetricsTokenStatus {
    const t = this.stored
    return { issued: !!t, issuedAt: t?.issuedAt ?? null, issuedBy: t?.issuedBy ?? null }
  }

  /** A new token, returned this once; it replaces the previous one, which stops working at once. */
  issue(by: string | null): { token: string } & MetricsTokenStatus {
    const token = newToken()
    const stored: StoredToken = { hash: hashToken(token), issuedAt: Date.now(), issuedBy: by }
    this.settings.set(SETTING, stored)
    this.load(stored)
    return { token, ...this.status() }
  }

  /** False when no token was issued. */
  revoke(): boolean {
    if (!this.stored) return false
    this.settings.delete(SETTING)
    this.load(undefined)
    return true
  }

  /** Is this the metrics token? (Constant time.) */
  matchesToken(token: string): boolean {
    return this.stored !== undefined && matchesSecret(token, this.stored.digest)
  }

  /** Is this address on the allowlist? (IPv4-mapped IPv6 addresses match their IPv4 entries.) */
  allowsAddress(ip: string | undefined): boolean {
    if (!ip || this.allow.length === 0) return false
    return this.allowed.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6')
  }
}

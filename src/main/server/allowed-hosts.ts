/**
 * The names and addresses the station answers state changes and WebSocket upgrades for: a DNS rebinding
 * attack makes a browser send a foreign page's requests to the station with the attacker's host name in
 * `Host`, so a Host that is not one of the station's own is refused. The machine's own names and
 * interface addresses are allowed (re-read now and then: DHCP may change them), plus STATION_ALLOWED_HOSTS.
 */
import { hostname, networkInterfaces } from 'node:os'

const REFRESH_MS = 10_000

/** The host part of a Host header, lowercased, without port or IPv6 brackets. */
export function hostOf(header: string): string {
  const h = header.trim().toLowerCase()
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'))
  const colon = h.lastIndexOf(':')
  return colon === -1 ? h : h.slice(0, colon)
}

export class AllowedHosts {
  private own = new Set<string>()
  private readAt = 0

  constructor(
    private readonly extra: readonly string[],
    private readonly readOwn: () => Iterable<string> = ownNames,
  ) {
    this.refresh()
  }

  allows(hostHeader: string | undefined): boolean {
    if (!hostHeader) return false
    const host = hostOf(hostHeader)
    if (this.own.has(host) || this.extra.includes(host)) return true
    // Not known: the addresses may have changed since they were read.
    if (Date.now() - this.readAt < REFRESH_MS) return false
    this.refresh()
    return this.own.has(host)
  }

  private refresh(): void {
    this.own = new Set([...this.readOwn()].map((h) => h.toLowerCase()))
    this.readAt = Date.now()
  }
}

function* ownNames(): Iterable<string> {
  yield 'localhost'
  const name = hostname().toLowerCase()
  yield name
  yield `${name}.local`
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) yield a.address.split('%')[0]!
  }
}

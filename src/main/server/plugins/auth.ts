/**
 * Authentication and authorization for every route.
 *
 * Each route declares `config.auth`; a route that declares nothing is admin-only (closed by default).
 * Policies: `public` (the explicit allowlist), `device` (site key in x-device-key or a device token),
 * `guard` (any signed-in user), `admin`, `device-or-guard`, `admin-or-scraper` (an admin, or a Prometheus
 * scraper presenting the scrape credential: /metrics). The principal is resolved in `onRequest`,
 * before the body is parsed, so unauthenticated clients cannot make the station parse large bodies.
 */
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import { DEVICE_KEY_HEADER, type Role } from '../../../shared/constants'
import { hashToken, matchesSecret, newToken, secretDigest } from '../../auth/tokens'
import { AuthFailures } from '../../auth/auth-failures'
import { OpenConnections } from '../../auth/open-connections'
import { isGuardAction } from '../../auth/session-activity'
import type { DomainEventStream } from '../../events/domain-stream'
import { DUMMY_HASH, generatePassword, hashPassword, needsRehash, verifyPassword } from '../../auth/passwords'
import { UsersRepository } from '../../auth/users-repository'
import { SessionsRepository, type SessionEnds, type SessionTimes } from '../../auth/sessions-repository'
import { SettingsRepository } from '../../settings/settings-repository'
import { ScrapeCredential } from '../../auth/scrape-credential'
import { StationError, errors } from '../errors'

export type AuthPolicy = 'public' | 'device' | 'guard' | 'admin' | 'device-or-guard' | 'admin-or-scraper'

export type Principal =
  | { kind: 'user'; id: number; username: string; role: Role; tokenHash: string }
  | { kind: 'device'; deviceId: string | null; via: 'site-key' | 'token' }
  /** A push camera's own token: resolved only on routes that declare `tokenScope: 'camera'`. */
  | { kind: 'camera'; cameraId: number }
  /** A Prometheus scraper (the metrics token, or an allowed address): only on `tokenScope: 'metrics'` routes. */
  | { kind: 'scraper'; via: 'token' | 'address' }

/**
 * Tokens a route accepts besides sessions and device credentials, resolved only on routes that opt in:
 * `stream`, a short-lived viewing token in `?token=` (an <img> cannot send headers); `camera`, a push
 * camera's token in `Authorization: Bearer`; `metrics`, the Prometheus scrape credential (the metrics
 * token in `Authorization: Bearer`, or with no token, an address on STATION_METRICS_ALLOW). Plugins
 * register the resolvers (see `registerScopedTokens`).
 */
export type TokenScope = 'stream' | 'camera' | 'metrics'
export type ScopedTokenResolver = (token: string, req: FastifyRequest) => Principal | null
/** Recognises a request of a scope that presents no token (the metrics scope: by the caller's address). */
export type TokenlessResolver = (req: FastifyRequest) => Principal | null

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthPolicy
    tokenScope?: TokenScope
    /**
     * Accept the session token in `?token=` (GET only): for browser WebSockets, which cannot send headers.
     * Off elsewhere, so session tokens do not end up in URLs, logs and histories.
     */
    sessionInQuery?: boolean
    /**
     * False on a request that changes something but that the screens make on their own (a video tile's
     * stream token): it does not renew the session. Every other such request is the guard's action.
     */
    renewsSession?: boolean
  }
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyInstance {
    auth: AuthService
  }
}

const DEVICE_KEY_SETTING = 'device.siteKey'

export class AuthService {
  readonly users: UsersRepository
  readonly sessions: SessionsRepository
  private readonly settings: SettingsRepository
  private siteKey: string
  private siteKeyDigest: Buffer
  /**
   * Resolved sessions for a few seconds, keyed by the bearer token itself, so a busy client costs neither
   * a SQLite read nor a hash per request.
   */
  private readonly sessionCache = new LRUCache<string, { principal: Principal; expiresAt: number }>({
    max: 10_000,
    ttl: 10_000,
  })
  private readonly deviceTokens: (hash: string) => string | undefined
  /** When each session was last renewed by activity (renewals are written at most every renewStepMs). */
  private readonly renewedAt = new LRUCache<string, number>({ max: 10_000 })
  private readonly renewStepMs: number
  private readonly scopedResolvers = new Map<
    TokenScope,
    { token: ScopedTokenResolver; tokenless: TokenlessResolver | undefined }
  >()
  /** The Prometheus scrape credential: the metrics token and the allowed scraper addresses. */
  readonly scrape: ScrapeCredential

  constructor(
    private readonly deps: {
      db: import('../../database/open').Db
      /** Sliding sessions: renewed by activity for `idleMs`, never past `maxMs` after sign-in. */
      sessionTimes: SessionTimes
      configuredDeviceKey: string | undefined
      /** Scraper addresses allowed without a token (config.metricsAllow). */
      metricsAllow?: readonly string[]
      log: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void }
      /** Ended sessions are published here (open connections opened with them close). */
      domainEvents?: DomainEventStream | undefined
    },
  ) {
    this.renewStepMs = Math.min(60_000, deps.sessionTimes.idleMs / 20)
    this.users = new UsersRepository(deps.db)
    this.sessions = new SessionsRepository(deps.db)
    this.settings = new SettingsRepository(deps.db)
    const stmt = deps.db.prepare<[string], { id: string }>('SELECT id FROM devices WHERE token_hash = ?')
    this.deviceTokens = (hash) => stmt.get(hash)?.id
    const stored = this.settings.get<string>(DEVICE_KEY_SETTING)
    this.siteKey = deps.configuredDeviceKey ?? stored ?? newToken()
    this.siteKeyDigest = secretDigest(this.siteKey)
    if (this.siteKey !== stored) this.settings.set(DEVICE_KEY_SETTING, this.siteKey)
    this.scrape = new ScrapeCredential(this.settings, deps.metricsAllow ?? [])
    this.registerScopedTokens(
      'metrics',
      (token) => (this.scrape.matchesToken(token) ? { kind: 'scraper', via: 'token' } : null),
      (req) => (this.scrape.allowsAddress(req.ip) ? { kind: 'scraper', via: 'address' } : null),
    )
  }

  /** The site key devices present in x-device-key (shown to admins only). */
  get deviceKey(): string {
    return this.siteKey
  }

  rotateDeviceKey(): string {
    this.siteKey = newToken()
    this.siteKeyDigest = secretDigest(this.siteKey)
    this.settings.set(DEVICE_KEY_SETTING, this.siteKey)
    return this.siteKey
  }

  /** Replaces the site key with one an admin chose (devices using the old one are refused from now on). */
  setDeviceKey(key: string): string {
    this.siteKey = key
    this.siteKeyDigest = secretDigest(key)
    this.settings.set(DEVICE_KEY_SETTING, this.siteKey)
    return this.siteKey
  }

  /** Creates the first admin on an empty database. Returns the generated password when none was configured. */
  async ensureAdmin(
    configured: string | undefined,
  ): Promise<{ created: boolean; generatedPassword?: string }> {
    if (this.users.admins() > 0) return { created: false }
    const password = configured ?? generatePassword()
    this.users.create('admin', 'admin', await hashPassword(password))
    return configured ? { created: true } : { created: true, generatedPassword: password }
  }

  /**
   * Whether a configured first-run password is not the admin's (so it is ignored: it applies only to an
   * empty data folder). False when there is no admin yet or the password is the admin's.
   */
  async configuredPasswordIgnored(configured: string): Promise<boolean> {
    if (this.users.admins() === 0) return false
    const admin = this.users.findByUsername('admin')
    return !admin || admin.role !== 'admin' || !(await verifyPassword(configured, admin.passwordHash))
  }

  async login(username: string, password: string) {
    const user = this.users.findByUsername(username)
    // Hash even for unknown users so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
    if (!user || !ok) throw errors.badLogin()
    // Hashed with an older, lower cost: store today's (the password is at hand only now).
    if (needsRehash(user.passwordHash)) this.users.setPasswordHash(user.id, await hashPassword(password))
    const { token, ...ends } = this.newSession(user.id)
    return { token, ...ends, user: { id: user.id, username: user.username, role: user.role } }
  }

  /** Starts a session for a user: its bearer token and when it ends. */
  newSession(userId: number): { token: string } & SessionEnds {
    const token = newToken()
    return { token, ...this.sessions.create(hashToken(token), userId, this.deps.sessionTimes) }
  }

  /**
   * The guard did something: their session's end moves to the idle timeout from now (never past its
   * absolute end). Written at most once per `renewStepMs` per session unless `force` (the guard asked).
   * Answers the session's ends now, or undefined when it has ended.
   */
  renewSession(tokenHash: string, force = false, now = Date.now()): SessionEnds | undefined {
    const last = this.renewedAt.get(tokenHash)
    if (!force && last !== undefined && now - last < this.renewStepMs) return undefined
    this.renewedAt.set(tokenHash, now)
    const s = this.sessions.renew(tokenHash, this.deps.sessionTimes.idleMs, now)
    return s && { expiresAt: s.expiresAt, maxExpiresAt: s.maxExpiresAt }
  }

  /** When a session ends (undefined when it has): the open connections' check. */
  sessionEnd(tokenHash: string): number | undefined {
    return this.sessions.find(tokenHash)?.expiresAt
  }

  logout(tokenHash: string): void {
    const userId = this.sessions.find(tokenHash)?.id
    this.sessions.delete(tokenHash)
    for (const [token, entry] of this.sessionCache.entries()) {
      if (entry.principal.kind === 'user' && entry.principal.tokenHash === tokenHash)
        this.sessionCache.delete(token)
    }
    if (userId !== undefined) this.deps.domainEvents?.publish({ type: 'session.ended', userId, tokenHash })
  }

  /** Ends a user's sessions (deleted, demoted, new password), or drops every cached session. */
  forgetSessions(userId?: number): void {
    if (userId !== undefined) this.sessions.deleteForUser(userId)
    this.sessionCache.clear()
    if (userId !== undefined) this.deps.domainEvents?.publish({ type: 'session.ended', userId })
  }

  cleanupExpired(): number {
    return this.sessions.deleteExpired()
  }

  resolveSession(token: string): Principal | null {
    const now = Date.now()
    const cached = this.sessionCache.get(token)
    if (cached) {
      if (cached.expiresAt > now) return cached.principal
      this.sessionCache.delete(token)
    }
    const tokenHash = hashToken(token)
    const s = this.sessions.find(tokenHash, now)
    if (!s) return null
    const principal: Principal = Object.freeze({
      kind: 'user',
      id: s.id,
      username: s.username,
      role: s.role,
      tokenHash,
    })
    this.sessionCache.set(token, { principal, expiresAt: s.expiresAt })
    return principal
  }

  resolveDeviceToken(token: string): Principal | null {
    const id = this.deviceTokens(hashToken(token))
    return id ? { kind: 'device', deviceId: id, via: 'token' } : null
  }

  /**
   * Lets a plugin resolve the scoped tokens its routes accept (`config.tokenScope`), and optionally
   * requests of that scope that present no token at all.
   */
  registerScopedTokens(
    scope: TokenScope,
    resolver: ScopedTokenResolver,
    tokenless?: TokenlessResolver,
  ): void {
    this.scopedResolvers.set(scope, { token: resolver, tokenless })
  }

  /**
   * A scoped token: from `?token=` (stream, GET only) or the Bearer header (camera, metrics). A request
   * presenting a credential that does not resolve is refused even where a tokenless one would pass.
   */
  resolveScoped(scope: TokenScope, req: FastifyRequest, queryToken: string | undefined): Principal | null {
    const resolver = this.scopedResolvers.get(scope)
    if (!resolver) return null
    const authz = req.headers.authorization
    const token =
      scope === 'stream'
        ? queryToken
        : typeof authz === 'string' && authz.startsWith('Bearer ')
          ? authz.slice(7).trim()
          : undefined
    if (token) return resolver.token(token, req)
    // Tokenless means no credential at all: one that is presented (and failed) must not be passed over.
    if (authz !== undefined || req.headers[DEVICE_KEY_HEADER] !== undefined) return null
    return resolver.tokenless?.(req) ?? null
  }

  /** Resolves whoever the request presents itself as; null when it presents nothing valid. */
  resolve(headers: FastifyRequest['headers'], queryToken?: string): Principal | null {
    const key = headers[DEVICE_KEY_HEADER]
    if (typeof key === 'string' && key.length > 0) {
      return matchesSecret(key, this.siteKeyDigest)
        ? { kind: 'device', deviceId: null, via: 'site-key' }
        : null
    }
    const authz = headers.authorization
    const bearer =
      typeof authz === 'string' && authz.startsWith('Bearer ') ? authz.slice(7).trim() : queryToken
    if (!bearer) return null
    return this.resolveSession(bearer) ?? this.resolveDeviceToken(bearer)
  }
}

// A well-formed hash that no password matches: verifying against it costs the same as a real user.

export function allows(policy: AuthPolicy, p: Principal | null): 'ok' | 'unauthenticated' | 'forbidden' {
  if (policy === 'public') return 'ok'
  if (!p) return 'unauthenticated'
  switch (policy) {
    case 'device':
      // A camera principal exists only on the camera routes (tokenScope 'camera'), which are 'device' routes.
      return p.kind === 'device' || p.kind === 'camera' ? 'ok' : 'forbidden'
    case 'guard':
      return p.kind === 'user' ? 'ok' : 'forbidden'
    case 'admin':
      return p.kind === 'user' && p.role === 'admin' ? 'ok' : 'forbidden'
    case 'device-or-guard':
      // A scraper principal exists only on tokenScope 'metrics' routes, whose policy is admin-or-scraper.
      return p.kind === 'scraper' ? 'forbidden' : 'ok'
    case 'admin-or-scraper':
      return p.kind === 'scraper' || (p.kind === 'user' && p.role === 'admin') ? 'ok' : 'forbidden'
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Failed authentication per client IP (auth/auth-failures.ts). */
    authFailures: AuthFailures
    /** Open connections and the credentials they were opened with (auth/open-connections.ts). */
    connections: OpenConnections
  }
}

function tooManyAuthFailures(refusedMs: number): StationError {
  const seconds = Math.max(1, Math.ceil(refusedMs / 1000))
  return new StationError(
    429,
    'RATE_LIMITED',
    `Too many failed authentication attempts; retry in ${seconds} s`,
    {
      'retry-after': String(seconds),
    },
  )
}

function presentsCredentials(req: FastifyRequest, queryToken: string | undefined): boolean {
  return (
    queryToken !== undefined ||
    typeof req.headers[DEVICE_KEY_HEADER] === 'string' ||
    typeof req.headers.authorization === 'string'
  )
}

export default fp(
  async (app) => {
    const auth = new AuthService({
      db: app.db,
      sessionTimes: { idleMs: app.config.sessionIdleMs, maxMs: app.config.sessionMaxMs },
      configuredDeviceKey: app.config.deviceKey,
      metricsAllow: app.config.metricsAllow,
      log: app.log,
      domainEvents: app.domainEvents,
    })
    app.decorate('auth', auth)
    app.decorateRequest('principal', null)
    // Long-lived connections close when the credential they were opened with stops being valid.
    const connections = new OpenConnections(app.domainEvents, (hash) => auth.sessionEnd(hash))
    connections.startSweep()
    app.decorate('connections', connections)
    app.addHook('onClose', async () => connections.stop())
    const failures = new AuthFailures()
    app.decorate('authFailures', failures)

    // Callback style: this hook runs on every request.
    app.addHook('onRequest', (req, _reply, done) => {
      const config = req.routeOptions.config
      const policy = config.auth ?? 'admin'
      if (policy !== 'public') {
        const refusedMs = failures.refusedFor(req.ip)
        if (refusedMs > 0) return done(tooManyAuthFailures(refusedMs))
      }
      let queryToken: string | undefined
      if (req.method === 'GET' && (config.sessionInQuery || config.tokenScope === 'stream')) {
        const t = (req.query as Record<string, unknown> | undefined)?.token
        if (typeof t === 'string') queryToken = t
      }
      req.principal = auth.resolve(req.headers, config.sessionInQuery ? queryToken : undefined)
      const scope = config.tokenScope
      if (!req.principal && scope) req.principal = auth.resolveScoped(scope, req, queryToken)
      const verdict = allows(policy, req.principal)
      if (verdict === 'ok') {
        if (req.principal?.kind === 'user' && isGuardAction(req)) auth.renewSession(req.principal.tokenHash)
        return done()
      }
      if (verdict === 'forbidden') return done(errors.forbidden())
      // Presented credentials that did not verify count against the address.
      if (presentsCredentials(req, queryToken)) failures.failed(req.ip)
      done(typeof req.headers[DEVICE_KEY_HEADER] === 'string' ? errors.badDeviceKey() : errors.unauthorized())
    })

    const timer = setInterval(() => {
      const n = auth.cleanupExpired()
      if (n > 0) app.log.info({ removed: n }, 'expired sessions removed')
    }, 60_000)
    timer.unref()
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'station-auth', dependencies: ['station-domain-events', 'station-database'] },
)

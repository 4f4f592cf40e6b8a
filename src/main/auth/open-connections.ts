/**
 * Every long-lived connection (live channel, video viewers, device and camera sockets) remembers the
 * credential it was opened with, and is closed the moment that credential stops being valid: a session
 * signed out, expired or ended by an admin (user deleted, demoted, password changed), the site key
 * rotated, a camera's push token replaced or revoked. (A device's own token is the device service's: it
 * closes the device's socket when the token changes.) Revocations arrive as committed facts on the domain
 * event stream; a periodic sweep also re-checks sessions, so expiry and anything missed end them too.
 */
import type { DomainEventStream } from '../events/domain-stream'

/** What a connection was opened with. */
export type Credential =
  | { kind: 'session'; userId: number; tokenHash: string; role: string }
  | { kind: 'site-key' }
  | { kind: 'camera-token'; cameraId: number }

/** Close codes (WebSocket; HTTP streams are ended): 4401 the credential is no longer valid, 4403 role changed. */
export const CLOSE_REVOKED = 4401
export const CLOSE_ROLE_CHANGED = 4403

export type Closer = (code: number, reason: string) => void

/** The credential of a signed-in user's connection: their session. */
export function sessionCredential(user: { id: number; tokenHash: string; role: string }): Credential {
  return { kind: 'session', userId: user.id, tokenHash: user.tokenHash, role: user.role }
}

/** What a tracked connection needs to be: something that closes with a code, and says when it closed. */
export interface Closable {
  close(code: number, reason: string): void
  once(event: 'close', listener: () => void): unknown
}

interface Tracked {
  cred: Credential
  close: Closer
}

export const SESSION_SWEEP_MS = 30_000

export class OpenConnections {
  private readonly open = new Set<Tracked>()
  private readonly offs: (() => void)[] = []
  private sweeper: NodeJS.Timeout | undefined
  private closedByRevocation = 0

  constructor(
    stream: DomainEventStream,
    /** Whether a session (by token hash) is still valid: the sweep's check. */
    private readonly sessionValid: (tokenHash: string) => boolean,
  ) {
    this.offs.push(
      stream.on('session.ended', 'connections:sessions', (e) =>
        this.closeWhere(
          (c) =>
            c.kind === 'session' && c.userId === e.userId && (!e.tokenHash || c.tokenHash === e.tokenHash),
          CLOSE_REVOKED,
          e.tokenHash ? 'signed out' : 'session ended',
        ),
      ),
      stream.on('user.changed', 'connections:users', (e) => {
        if (e.change === 'deleted' || e.change === 'password') {
          this.closeWhere(
            (c) => c.kind === 'session' && c.userId === e.userId,
            CLOSE_REVOKED,
            `user ${e.change}`,
          )
        } else if (e.change === 'role') {
          // Its view depends on the role: reconnect to get the new one's.
          this.closeWhere(
            (c) => c.kind === 'session' && c.userId === e.userId,
            CLOSE_ROLE_CHANGED,
            'role changed',
          )
        }
      }),
      stream.on('settings.changed', 'connections:site-key', (e) => {
        if (e.keys.includes('deviceKey'))
          this.closeWhere((c) => c.kind === 'site-key', CLOSE_REVOKED, 'site key changed')
      }),
      stream.on('camera.changed', 'connections:camera-token', (e) => {
        if (e.change === 'token' || e.change === 'deleted') {
          this.closeWhere(
            (c) => c.kind === 'camera-token' && c.cameraId === e.cameraId,
            CLOSE_REVOKED,
            'camera token changed',
          )
        }
      }),
    )
  }

  /** Registers an open connection; returns the function to call when it closes by itself. */
  track(cred: Credential, close: Closer): () => void {
    const t: Tracked = { cred, close }
    this.open.add(t)
    return () => {
      this.open.delete(t)
    }
  }

  /** Tracks a socket: closed with the code when its credential goes, untracked when it closes by itself. */
  trackSocket(cred: Credential, socket: Closable): void {
    socket.once(
      'close',
      this.track(cred, (code, reason) => socket.close(code, reason)),
    )
  }

  startSweep(intervalMs = SESSION_SWEEP_MS): void {
    this.sweeper ??= setInterval(() => this.sweep(), intervalMs)
    this.sweeper.unref()
  }

  /** Closes connections whose session is no longer valid (expired, or deleted by any path). */
  sweep(): number {
    const valid = new Map<string, boolean>()
    return this.closeWhere(
      (c) => {
        if (c.kind !== 'session') return false
        let ok = valid.get(c.tokenHash)
        if (ok === undefined) valid.set(c.tokenHash, (ok = this.sessionValid(c.tokenHash)))
        return !ok
      },
      CLOSE_REVOKED,
      'session expired',
    )
  }

  stats(): { open: number; closedByRevocation: number } {
    return { open: this.open.size, closedByRevocation: this.closedByRevocation }
  }

  stop(): void {
    clearInterval(this.sweeper)
    this.sweeper = undefined
    for (const off of this.offs.splice(0)) off()
  }

  private closeWhere(match: (c: Credential) => boolean, code: number, reason: string): number {
    let n = 0
    for (const t of [...this.open]) {
      if (!match(t.cred)) continue
      this.open.delete(t)
      n++
      try {
        t.close(code, reason)
      } catch {
        // A connection that fails to close is already going away.
      }
    }
    this.closedByRevocation += n
    return n
  }
}

/**
 * Every long-lived connection (live channel, video viewers, device and camera sockets) remembers the
 * credential it was opened with, and is closed the moment that credential stops being valid: a session
 * signed out, expired or ended by an admin (user deleted, demoted, password changed), the site key
 * rotated, a camera's push token replaced or revoked. (A device's own token is the device service's: it
 * closes the device's socket when the token changes.) Revocations arrive as committed facts on the domain
 * event stream; a sweep also re-checks sessions, so expiry and anything missed end them too. The sweep
 * runs at the earliest end of a tracked session (sessions slide while their user is active, so a session
 * found renewed is simply looked at again at its new end), and at least every `SESSION_SWEEP_MS`.
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
  private sweepEveryMs = 0
  /** When the scheduled sweep runs. */
  private sweepAt = Infinity
  private closedByRevocation = 0

  constructor(
    stream: DomainEventStream,
    /** When a session (by token hash) ends, or undefined when it is no longer valid: the sweep's check. */
    private readonly sessionEnd: (tokenHash: string) => number | undefined,
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
    if (cred.kind === 'session' && this.sweepEveryMs > 0) {
      const end = this.sessionEnd(cred.tokenHash)
      if (end !== undefined) this.scheduleSweep(end)
    }
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
    this.sweepEveryMs = intervalMs
    this.scheduleSweep(Date.now() + intervalMs)
  }

  /** Closes connections whose session is no longer valid (expired, or deleted by any path). */
  sweep(): number {
    const ends = new Map<string, number | undefined>()
    let earliest = Infinity
    const closed = this.closeWhere(
      (c) => {
        if (c.kind !== 'session') return false
        if (!ends.has(c.tokenHash)) ends.set(c.tokenHash, this.sessionEnd(c.tokenHash))
        const end = ends.get(c.tokenHash)
        if (end !== undefined) earliest = Math.min(earliest, end)
        return end === undefined
      },
      CLOSE_REVOKED,
      'session expired',
    )
    if (this.sweepEveryMs > 0) this.scheduleSweep(Math.min(earliest, Date.now() + this.sweepEveryMs), true)
    return closed
  }

  /** Runs the sweep at `at` (just past it: a session is valid until its end), unless one runs sooner. */
  private scheduleSweep(at: number, replace = false): void {
    if (!replace && at >= this.sweepAt) return
    clearTimeout(this.sweeper)
    this.sweepAt = at
    this.sweeper = setTimeout(
      () => {
        this.sweepAt = Infinity
        this.sweep()
      },
      Math.max(0, at - Date.now() + 1),
    )
    this.sweeper.unref()
  }

  stats(): { open: number; closedByRevocation: number } {
    return { open: this.open.size, closedByRevocation: this.closedByRevocation }
  }

  stop(): void {
    clearTimeout(this.sweeper)
    this.sweeper = undefined
    this.sweepEveryMs = 0
    this.sweepAt = Infinity
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

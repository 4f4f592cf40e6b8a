/**
 * The guard's session: sign in, restore after a reload, sign out, when it ends (the warning before it
 * does, "Stay signed in"), and expiry (the station refuses the token: back to login, keeping the layout
 * and settings).
 */
import type { SessionEnds, SessionUser } from '../../../shared/contract'
import { NO_ARGS, StationRequestError } from '../transport/types'
import { errorMessage, type Slice, type StoreDeps } from './types'

export const TOKEN_KEY = 'guard-station.session'

export type SessionStatus = 'restoring' | 'signedOut' | 'signingIn' | 'signedIn'

export interface Session {
  status: SessionStatus
  token: string | null
  user: SessionUser | null
  error: string | null
  /** Why the guard is back at the login screen without having signed out. */
  notice: string | null
  /** When data last came from the station over HTTP (the banner's "last updated" before any live message). */
  loadedAt: number | null
  /** When the session ends, as the station last said (each action renews it there). */
  ends: SessionEnds | null
}

export interface SessionSlice {
  session: Session
  login(username: string, password: string): Promise<boolean>
  restoreSession(): Promise<void>
  logout(): Promise<void>
  sessionExpired(): void
  /** Asks the station when the session ends (it may have been renewed by an action meanwhile). */
  checkSession(): Promise<void>
  /** "Stay signed in": renews the session (up to its longest sign-in). */
  renewSession(): Promise<void>
  /** Loads what every screen needs after signing in or reconnecting. */
  loadAll(): Promise<void>
}

export function loginErrorMessage(err: unknown): string {
  if (err instanceof StationRequestError) {
    if (err.status === 0) return 'The station cannot be reached. Check the network and try again.'
    if (err.status === 429) return `Too many attempts. ${err.message}`
    return err.message
  }
  return errorMessage(err)
}

const endsOf = (e: SessionEnds): SessionEnds => ({
  expiresAt: e.expiresAt,
  maxExpiresAt: e.maxExpiresAt,
  warnMs: e.warnMs,
})

export const createSessionSlice =
  (deps: StoreDeps): Slice<SessionSlice> =>
  (set, get) => {
    const signedOut = (notice: string | null): Partial<SessionSlice> => ({
      session: {
        status: 'signedOut',
        token: null,
        user: null,
        error: null,
        notice,
        loadedAt: null,
        ends: null,
      },
    })
    const clear = (notice: string | null) => {
      deps.transport.setToken(null)
      deps.sessionStorage.removeItem(TOKEN_KEY)
      set(signedOut(notice))
      get().resetData()
    }
    return {
      session: {
        status: 'restoring',
        token: null,
        user: null,
        error: null,
        notice: null,
        loadedAt: null,
        ends: null,
      },

      async login(username, password) {
        set({ session: { ...get().session, status: 'signingIn', error: null } })
        try {
          const res = await deps.transport.request('auth:login', { username, password })
          deps.transport.setToken(res.token)
          deps.sessionStorage.setItem(TOKEN_KEY, res.token)
          set({
            session: {
              status: 'signedIn',
              token: res.token,
              user: res.user,
              error: null,
              notice: null,
              loadedAt: null,
              ends: endsOf(res),
            },
          })
          void get().loadAll()
          return true
        } catch (err) {
          set({ session: { ...get().session, status: 'signedOut', error: loginErrorMessage(err) } })
          return false
        }
      },

      async restoreSession() {
        const token = deps.sessionStorage.getItem(TOKEN_KEY)
        if (!token) {
          set(signedOut(null))
          return
        }
        deps.transport.setToken(token)
        try {
          const me = await deps.transport.request('auth:me', NO_ARGS)
          set({
            session: {
              status: 'signedIn',
              token,
              user: { username: me.username, role: me.role },
              error: null,
              notice: null,
              loadedAt: null,
              ends: endsOf(me),
            },
          })
          void get().loadAll()
        } catch (err) {
          const expired = err instanceof StationRequestError && err.status === 401
          clear(expired ? 'Your session ended: sign in again.' : null)
          if (!expired) set({ session: { ...get().session, error: loginErrorMessage(err) } })
        }
      },

      async logout() {
        try {
          await deps.transport.request('auth:logout', NO_ARGS)
        } catch {
          /* signed out locally either way */
        }
        clear(null)
      },

      sessionExpired() {
        if (get().session.status !== 'signedIn') return
        clear('Your session expired: sign in again. Your layout is kept.')
      },

      async checkSession() {
        if (get().session.status !== 'signedIn') return
        try {
          const me = await deps.transport.request('auth:me', NO_ARGS)
          if (get().session.status === 'signedIn') set({ session: { ...get().session, ends: endsOf(me) } })
        } catch {
          /* a 401 ends the session through the transport; other failures are the banner's business */
        }
      },

      async renewSession() {
        if (get().session.status !== 'signedIn') return
        try {
          const ends = await deps.transport.request('auth:renew', NO_ARGS)
          if (get().session.status === 'signedIn') set({ session: { ...get().session, ends: endsOf(ends) } })
        } catch {
          /* as above */
        }
      },

      async loadAll() {
        const s = get()
        const admin = s.session.user?.role === 'admin'
        await Promise.all([
          s.loadCameras(),
          s.loadMotion(),
          s.loadDevices(),
          s.loadEvents(),
          s.loadAlarms(),
          s.loadAreas(),
          ...(admin ? [s.loadMetrics()] : []),
        ])
        if (get().session.status === 'signedIn')
          set({ session: { ...get().session, loadedAt: deps.now?.() ?? Date.now() } })
      },
    }
  }

/** The few admin API calls the camera simulators make: sign in, list, create and change cameras. */

/** A refusal from the station, with its HTTP status (a 400 can be told from a network failure). */
export class StationApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'StationApiError'
  }
}

export async function stationApi<T>(
  stationUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${stationUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : null,
  })
  const json = (await res.json().catch(() => ({}))) as { success?: boolean; data?: T; message?: string }
  if (!res.ok || !json.success) {
    throw new StationApiError(`${method} ${path}: ${res.status} ${json.message ?? ''}`.trim(), res.status)
  }
  return json.data as T
}

/** What to do when the admin password is refused (the commonest cause: a data folder from an earlier run). */
export const SIGN_IN_REFUSED =
  'cannot sign in as admin to register cameras (HTTP 401: wrong password). STATION_ADMIN_PASSWORD sets the ' +
  "admin password only when the station starts on an empty data folder; this station's admin has another. " +
  "Pass the admin's password with --admin-password, or stop the station and give the admin this one: " +
  'STATION_ADMIN_PASSWORD=... npm run headless -- --reset-admin-password'

/** Signs in (cameras are registered through the admin API) and answers the session token. */
export async function signInAsAdmin(
  stationUrl: string,
  password: string,
  username = 'admin',
): Promise<string> {
  const res = await fetch(`${stationUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  }).catch((err: unknown) => {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err)
    throw new Error(`cannot reach the station at ${stationUrl} (${cause})`)
  })
  if (res.status === 401) throw new Error(SIGN_IN_REFUSED)
  if (!res.ok) throw new Error(`cannot sign in as admin to register cameras (HTTP ${res.status})`)
  return ((await res.json()) as { data: { token: string } }).data.token
}

export interface ApiCamera {
  id: number
  name: string
}

/** The station's catalogue of coded errors; every error answer is `{ success: false, statusCode, error, message, code }`. */
import { STATUS_CODES } from 'node:http'

export class StationError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

export const errors = {
  unauthorized: (message = 'Authentication required') => new StationError(401, 'UNAUTHORIZED', message),
  badDeviceKey: () => new StationError(401, 'BAD_DEVICE_KEY', 'Missing or wrong device key'),
  forbidden: (message = 'Your role may not do this') => new StationError(403, 'FORBIDDEN', message),
  foreignOrigin: (origin: string) =>
    new StationError(403, 'FOREIGN_ORIGIN', `Cross-origin request from ${origin} refused`),
  foreignHost: (host: string) =>
    new StationError(
      403,
      'FOREIGN_HOST',
      `This station does not answer as "${host}": add the name to STATION_ALLOWED_HOSTS if it is one of its own`,
    ),
  notFound: (what: string) => new StationError(404, 'NOT_FOUND', `${what} not found`),
  conflict: (message: string) => new StationError(409, 'CONFLICT', message),
  badRequest: (message: string) => new StationError(400, 'BAD_REQUEST', message),
  badLogin: () => new StationError(401, 'BAD_LOGIN', 'Wrong username or password'),
  deviceOffline: (id: string) => new StationError(409, 'DEVICE_OFFLINE', `Device ${id} is offline`),
  noBuzzer: (id: string) =>
    new StationError(
      409,
      'NO_BUZZER',
      `Device ${id} has no buzzer (it reported its capabilities without one)`,
    ),
  overloaded: (message: string, retryAfterSeconds: number) =>
    new StationError(503, 'OVERLOADED', message, { 'retry-after': String(retryAfterSeconds) }),
  shuttingDown: () =>
    new StationError(503, 'SHUTTING_DOWN', 'The station is shutting down', { 'retry-after': '5' }),
  tooManyConnections: () =>
    new StationError(503, 'TOO_MANY_CONNECTIONS', 'Connection limit reached', { 'retry-after': '5' }),
} as const

export function errorBody(statusCode: number, message: string, code?: string) {
  return {
    success: false as const,
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(code ? { code } : {}),
  }
}

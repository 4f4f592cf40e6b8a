/**
 * `{ op: 'error' }` frames for device sockets: a machine-readable `code` (see DeviceErrorCode) next to the
 * human `message`, and `retryAfterSeconds` when resending later will work (write queue full, shutting down).
 */
import {
  DEVICE_ERROR_CODES,
  type DeviceErrorCode,
  type DeviceErrorFrame,
} from '../../shared/schemas/device-protocol'
import { QueueClosedError, QueueFullError } from '../queues/group-commit-queue'
import { StationError } from '../server/errors'

/** Seconds a device waits before resending after SHUTTING_DOWN (as the HTTP answer's Retry-After). */
export const SHUTDOWN_RETRY_SECONDS = 5

const KNOWN = new Set<string>(DEVICE_ERROR_CODES)

function frame(
  id: number | undefined,
  code: DeviceErrorCode,
  message: string,
  retryAfterSeconds?: number,
): DeviceErrorFrame {
  const f: DeviceErrorFrame = { op: 'error', code, message }
  if (id !== undefined) f.id = id
  if (retryAfterSeconds !== undefined) f.retryAfterSeconds = retryAfterSeconds
  return f
}

/**
 * The code of a message the parser refused (`parseDeviceMessage` names the problem in words only):
 * unreadable JSON, a missing or unknown op, or anything else that breaks the schema.
 */
export function refusedMessageCode(message: string): DeviceErrorCode {
  if (message === 'Malformed JSON') return 'BAD_JSON'
  if (message.startsWith('Unknown op') || message === 'Missing op') return 'UNKNOWN_OP'
  return 'VALIDATION'
}

/** An error frame for a message the parser refused. */
export function refusedFrame(id: number | undefined, message: string): DeviceErrorFrame {
  return frame(id, refusedMessageCode(message), message)
}

/** An error frame for a binary WebSocket message (the protocol is JSON text). */
export function binaryFrame(): DeviceErrorFrame {
  return frame(undefined, 'BAD_JSON', 'Binary frames are not supported: send JSON text')
}

/** An error frame for a message that failed while being handled (ingest or buzzer-ack). */
export function failureFrame(id: number | undefined, err: unknown): DeviceErrorFrame {
  if (err instanceof QueueFullError) {
    return frame(
      id,
      'OVERLOADED',
      `${err.message} (retry after ${err.retryAfterSeconds} s)`,
      err.retryAfterSeconds,
    )
  }
  if (err instanceof QueueClosedError) return frame(id, 'SHUTTING_DOWN', err.message, SHUTDOWN_RETRY_SECONDS)
  if (err instanceof StationError) {
    const retry = Number(err.headers['retry-after'])
    const code: DeviceErrorCode = KNOWN.has(err.code)
      ? (err.code as DeviceErrorCode)
      : err.statusCode === 400
        ? 'VALIDATION'
        : err.statusCode === 503
          ? 'OVERLOADED'
          : 'INTERNAL'
    const retryAfter =
      Number.isFinite(retry) && retry > 0
        ? retry
        : code === 'OVERLOADED'
          ? 1
          : code === 'SHUTTING_DOWN'
            ? SHUTDOWN_RETRY_SECONDS
            : undefined
    return frame(id, code, err.message, retryAfter)
  }
  // Anything else is the station's fault: no details to the device (the caller logs it).
  return frame(id, 'INTERNAL', 'Internal error')
}

/**
 * Validation of what devices send, with compiled TypeBox validators (no type coercion: a string is never a
 * number here, and NaN/Infinity are refused). Unions are checked per variant so a message names the bad
 * reading and field instead of "must match a schema in anyOf".
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import type { TSchema } from '@sinclair/typebox'
import {
  DeviceReadingInput,
  DeviceToStation,
  IngestBody,
  type DeviceToStation as DeviceMessage,
} from '../../shared/schemas/device-protocol'
import { MAX_READINGS_PER_BATCH } from '../../shared/constants'

type Result<T> = { ok: true; value: T } | { ok: false; message: string }

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function firstError(check: TypeCheck<TSchema>, value: unknown): string {
  const e = check.Errors(value).First()
  if (!e) return 'invalid'
  return e.path ? `${e.path.slice(1).replace(/\//g, '.')}: ${e.message}` : e.message
}

const single = TypeCompiler.Compile(DeviceReadingInput)
const batch = TypeCompiler.Compile(IngestBody.anyOf[1])

/** The body of `POST /api/v1/ingest/sensor-data`: one reading or `{ readings: [...] }`, all or nothing. */
export function validateIngestBody(body: unknown): Result<DeviceReadingInput[]> {
  if (!isObject(body)) return { ok: false, message: 'The body must be a JSON object' }
  if (!('readings' in body)) {
    if (single.Check(body)) return { ok: true, value: [body] }
    return { ok: false, message: `Invalid reading: ${firstError(single, body)}` }
  }
  const list = body.readings
  if (Array.isArray(list) && list.length > MAX_READINGS_PER_BATCH) {
    return {
      ok: false,
      message: `A batch holds at most ${MAX_READINGS_PER_BATCH} readings; this one has ${list.length}`,
    }
  }
  if (batch.Check(body)) return { ok: true, value: body.readings }
  if (Array.isArray(list)) {
    for (let i = 0; i < list.length; i++) {
      if (!single.Check(list[i])) {
        return {
          ok: false,
          message: `Reading ${i} is invalid (${firstError(single, list[i])}); nothing was stored`,
        }
      }
    }
  }
  return { ok: false, message: `Invalid batch: ${firstError(batch, body)}` }
}

const byOp = new Map<string, TypeCheck<TSchema>>(
  DeviceToStation.anyOf.map((schema) => [schema.properties.op.const, TypeCompiler.Compile(schema)]),
)

/** One text frame from `/ws/device`. The id is returned even for invalid messages, to address the error. */
export function parseDeviceMessage(text: string): Result<DeviceMessage> & { id?: number } {
  let msg: unknown
  try {
    msg = JSON.parse(text)
  } catch {
    return { ok: false, message: 'Malformed JSON' }
  }
  if (!isObject(msg)) return { ok: false, message: 'A message must be a JSON object' }
  const id = typeof msg.id === 'number' && Number.isSafeInteger(msg.id) ? msg.id : undefined
  const op = msg.op
  const check = typeof op === 'string' ? byOp.get(op) : undefined
  if (!check) {
    return {
      ok: false,
      id,
      message: typeof op === 'string' ? `Unknown op "${op.slice(0, 32)}"` : 'Missing op',
    }
  }
  const readings = msg.readings
  if (check.Check(msg)) return { ok: true, id, value: msg as DeviceMessage }
  if (op === 'readings' && Array.isArray(readings)) {
    if (readings.length > MAX_READINGS_PER_BATCH) {
      return { ok: false, id, message: `A batch holds at most ${MAX_READINGS_PER_BATCH} readings` }
    }
  }
  return { ok: false, id, message: `Invalid ${op}: ${firstError(check, msg)}` }
}

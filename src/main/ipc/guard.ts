/**
 * The one guard every IPC call passes before it reaches the station: the sender is the app's own page
 * (main frame, station origin), the operation is in the contract, and the arguments are a small plain
 * JSON object whose path parameters are present. The station then validates the arguments themselves
 * against each route's schema, as it does for HTTP.
 */
import { isOperationName, type OperationName } from '../../shared/contract'
import { pathParams } from '../../shared/contract/http'

export class IpcGuardError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'IpcGuardError'
  }
}

/** The parts of Electron's IpcMainInvokeEvent the guard reads (no electron import in the core). */
export interface SenderFrame {
  url: string
  /** null for the main frame. */
  parent: unknown
}
export interface IpcSenderEvent {
  senderFrame: SenderFrame | null
}

export const MAX_ARGS_BYTES = 64 * 1024
const MAX_DEPTH = 4
const MAX_TOKEN = 256
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Refuses a sender that is not the main frame of the station's own page. */
export function checkSender(event: IpcSenderEvent, isOwnPage: (url: string) => boolean): void {
  const frame = event.senderFrame
  if (!frame) throw new IpcGuardError('refused: the sending frame is gone')
  if (frame.parent !== null) throw new IpcGuardError('refused: not the main frame')
  if (!isOwnPage(frame.url)) throw new IpcGuardError('refused: foreign sender')
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

function checkValue(v: unknown, depth: number, path: string): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new IpcGuardError(`refused: ${path} is not a finite number`)
    return
  }
  if (depth >= MAX_DEPTH) throw new IpcGuardError(`refused: ${path} is nested too deep`)
  if (Array.isArray(v)) {
    v.forEach((item, i) => checkValue(item, depth + 1, `${path}[${i}]`))
    return
  }
  if (!isPlainObject(v)) throw new IpcGuardError(`refused: ${path} is not plain JSON`)
  for (const [k, item] of Object.entries(v)) {
    if (FORBIDDEN_KEYS.has(k)) throw new IpcGuardError(`refused: key "${k}" in ${path}`)
    if (item !== undefined) checkValue(item, depth + 1, `${path}.${k}`)
  }
}

export interface CheckedRequest {
  op: OperationName
  args: Record<string, unknown>
  token: string | null
}

/** Validates a request from the page: the operation name, the shape of its arguments, the token. */
export function checkRequest(op: unknown, args: unknown, token: unknown): CheckedRequest {
  if (!isOperationName(op))
    throw new IpcGuardError(`refused: unknown operation ${JSON.stringify(op)?.slice(0, 64)}`)
  const a = args ?? {}
  if (!isPlainObject(a)) throw new IpcGuardError(`refused: ${op} arguments must be an object`)
  if (Object.getOwnPropertyNames(a).some((k) => FORBIDDEN_KEYS.has(k))) {
    throw new IpcGuardError(`refused: forbidden key in ${op} arguments`)
  }
  checkValue(a, 0, 'args')
  if (JSON.stringify(a).length > MAX_ARGS_BYTES) throw new IpcGuardError(`refused: ${op} arguments too large`)
  for (const name of pathParams(op)) {
    const v = a[name]
    const ok =
      (typeof v === 'string' && v.length > 0 && v.length <= 128) ||
      (typeof v === 'number' && Number.isInteger(v))
    if (!ok) throw new IpcGuardError(`refused: ${op} needs "${name}"`)
  }
  if (token !== null && token !== undefined && (typeof token !== 'string' || token.length > MAX_TOKEN)) {
    throw new IpcGuardError('refused: malformed session token')
  }
  return { op, args: a, token: typeof token === 'string' && token.length > 0 ? token : null }
}

/** Validates a live subscription request: an id the page chose and a session token. */
export function checkLiveStart(subId: unknown, token: unknown): { subId: number; token: string } {
  if (typeof subId !== 'number' || !Number.isSafeInteger(subId) || subId < 0) {
    throw new IpcGuardError('refused: malformed live subscription id')
  }
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN) {
    throw new IpcGuardError('refused: live needs a session token')
  }
  return { subId, token }
}

/**
 * Maps an operation and its flat arguments to the HTTP request that serves it. The web transport sends
 * it over the network; the IPC dispatcher hands the same request to the station in-process, so both
 * paths run the same routes, validation, authorization and caching.
 */
import { OPERATIONS, type HttpMethod, type OperationName } from '../contract'

export interface HttpRequest {
  method: HttpMethod
  /** Path with filled parameters and the query string. */
  url: string
  /** JSON body (POST, PUT), or undefined. */
  body: Record<string, unknown> | undefined
}

export class ContractArgsError extends Error {}

const PARAM = /:([A-Za-z][A-Za-z0-9_]*)/g

export function pathParams(op: OperationName): string[] {
  return [...OPERATIONS[op].path.matchAll(PARAM)].map((m) => m[1]!)
}

function paramValue(op: OperationName, name: string, value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'string' && value.length > 0 && value.length <= 128) return encodeURIComponent(value)
  throw new ContractArgsError(`${op}: argument "${name}" is required in the path`)
}

function queryValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (typeof value === 'number' || typeof value === 'string') return String(value)
  return JSON.stringify(value)
}

export function toHttpRequest(op: OperationName, args: object | undefined): HttpRequest {
  const route = OPERATIONS[op]
  const rest: Record<string, unknown> = { ...(args ?? {}) }
  const path = route.path.replace(PARAM, (_m, name: string) => {
    const v = paramValue(op, name, rest[name])
    delete rest[name]
    return v
  })
  if (route.method === 'GET' || route.method === 'DELETE') {
    const query = new URLSearchParams()
    for (const [k, v] of Object.entries(rest)) {
      const s = queryValue(v)
      if (s !== undefined) query.append(k, s)
    }
    const qs = query.toString()
    return { method: route.method, url: qs ? `${path}?${qs}` : path, body: undefined }
  }
  for (const [k, v] of Object.entries(rest)) if (v === undefined) delete rest[k]
  return { method: route.method, url: path, body: rest }
}

/**
 * Serves the renderer's operations in the main process by handing each one to the station in-process
 * (`app.inject`, no socket) with the caller's session token: the IPC path runs exactly the same routes,
 * validation, authorization, caching and error answers as HTTP.
 */
import type { FastifyInstance } from 'fastify'
import type { ArgsOf, IpcResult, OperationName, ResultOf } from '../../shared/contract'
import { toHttpRequest } from '../../shared/contract/http'
import { DESKTOP_TRANSPORT, TRANSPORT_HEADER } from '../audit/request-origin'

export type Dispatch = <K extends OperationName>(
  op: K,
  args: ArgsOf<K>,
  token: string | null,
) => Promise<IpcResult<ResultOf<K>>>

interface Envelope {
  success?: boolean
  data?: unknown
  message?: string
  code?: string
}

export function createDispatcher(app: Pick<FastifyInstance, 'inject'>): Dispatch {
  return async (op, args, token) => {
    const req = toHttpRequest(op, args)
    // The audit log records these requests as coming from the desktop (audit/request-origin.ts).
    const headers: Record<string, string> = {
      accept: 'application/json',
      [TRANSPORT_HEADER]: DESKTOP_TRANSPORT,
    }
    if (token) headers.authorization = `Bearer ${token}`
    const res = await app.inject({
      method: req.method,
      url: req.url,
      headers,
      ...(req.body !== undefined ? { payload: req.body } : {}),
    })
    let body: Envelope | undefined
    try {
      body = res.body ? (JSON.parse(res.body) as Envelope) : undefined
    } catch {
      body = undefined
    }
    if (res.statusCode >= 200 && res.statusCode < 300 && (body === undefined || body.success === true)) {
      return { ok: true, status: res.statusCode, data: body?.data as ResultOf<typeof op> }
    }
    return {
      ok: false,
      status: res.statusCode,
      code: body?.code ?? `HTTP_${res.statusCode}`,
      message: body?.message ?? `The station answered ${res.statusCode}`,
    }
  }
}

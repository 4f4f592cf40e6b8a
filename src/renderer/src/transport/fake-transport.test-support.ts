/** A scripted Transport for store tests: answers per operation, records calls, emits live messages. */
import type { ArgsOf, LiveMessage, OperationName, ResultOf } from '../../../shared/contract'
import { StationRequestError, type LiveStatus, type Transport } from './types'

type Answer<K extends OperationName> =
  ResultOf<K> | StationRequestError | ((args: ArgsOf<K>) => ResultOf<K> | Promise<ResultOf<K>>)

export class FakeTransport implements Transport {
  readonly kind = 'web' as const
  token: string | null = null
  readonly calls: { op: OperationName; args: unknown }[] = []
  private readonly answers = new Map<OperationName, unknown>()
  private readonly live = new Set<(m: LiveMessage) => void>()
  private readonly status = new Set<(s: LiveStatus) => void>()
  private readonly unauthorized = new Set<() => void>()

  answer<K extends OperationName>(op: K, a: Answer<K>): this {
    this.answers.set(op, a)
    return this
  }

  setToken(token: string | null): void {
    this.token = token
  }

  async request<K extends OperationName>(op: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
    this.calls.push({ op, args })
    const a = this.answers.get(op)
    if (a === undefined) throw new StationRequestError(404, 'NO_ANSWER', `no scripted answer for ${op}`)
    if (a instanceof StationRequestError) throw a
    return typeof a === 'function' ? (a as (x: ArgsOf<K>) => ResultOf<K>)(args) : (a as ResultOf<K>)
  }

  callsOf(op: OperationName): unknown[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.args)
  }

  subscribe(l: (m: LiveMessage) => void): () => void {
    this.live.add(l)
    return () => this.live.delete(l)
  }
  onStatus(l: (s: LiveStatus) => void): () => void {
    this.status.add(l)
    return () => this.status.delete(l)
  }
  onUnauthorized(l: () => void): () => void {
    this.unauthorized.add(l)
    return () => this.unauthorized.delete(l)
  }
  close(): void {}

  emit(m: LiveMessage): void {
    for (const l of this.live) l(m)
  }
  emitStatus(s: Partial<LiveStatus>): void {
    const full: LiveStatus = {
      state: 'open',
      attempt: 0,
      lastMessageAt: null,
      retryAt: null,
      error: null,
      ...s,
    }
    for (const l of this.status) l(full)
  }
  expire(): void {
    for (const l of this.unauthorized) l()
  }
}

export class MemoryStorage {
  readonly map = new Map<string, string>()
  getItem = (k: string) => this.map.get(k) ?? null
  setItem = (k: string, v: string) => void this.map.set(k, v)
  removeItem = (k: string) => void this.map.delete(k)
}

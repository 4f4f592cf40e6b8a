/**
 * One casing in the API: every field of every JSON body, query, path parameter and answer the station
 * declares is camelCase (`lastSeenAt`, never `last_seen_at`), and so is every field of the contract's
 * types, the live messages and the device protocol. Field names are walked in the route schemas at run
 * time, and in the types at compile time (the `expectTypeOf` lines fail `tsc`).
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import type { ArgsOf, LiveMessage, OperationName, ResultOf } from '../../shared/contract'
import {
  DeviceToStation,
  type DeviceErrorFrame,
  type StationToDevice,
} from '../../shared/schemas/device-protocol'
import { createTestStation, type TestStation } from './test-helper'

/**
 * Old names still accepted on input for one release (answers use the camelCase ones only): a camera's
 * `is_online` is now `isOnline`.
 */
const PENDING_CAMERA_FIELDS = new Set(['POST /api/cameras is_online', 'PUT /api/cameras/:id is_online'])

const CAMEL = /^[a-z0-9][A-Za-z0-9]*$/

/** Property names declared anywhere in a JSON schema. */
function fieldNames(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const s of schema) fieldNames(s, out)
  } else if (schema && typeof schema === 'object') {
    const s = schema as Record<string, unknown>
    if (s.properties && typeof s.properties === 'object') {
      for (const [k, v] of Object.entries(s.properties)) {
        out.add(k)
        fieldNames(v, out)
      }
    }
    for (const key of ['items', 'anyOf', 'allOf', 'oneOf', 'additionalProperties', 'not'] as const) {
      if (key in s) fieldNames(s[key], out)
    }
  }
  return out
}

/** A literal key (an index signature's `string` would swallow the literal names next to it). */
type Named<K> = K extends string ? (string extends K ? never : K) : never
/** Every field name in the keys of a type, nested objects and arrays included. */
type FieldNames<T> = T extends readonly (infer E)[]
  ? FieldNames<E>
  : T extends object
    ? { [K in keyof T]-?: Named<K> | FieldNames<T[K]> }[keyof T]
    : never
type SnakeOrKebab<T> = Extract<FieldNames<T>, `${string}_${string}` | `${string}-${string}`>

describe('one casing in the API', () => {
  let st: TestStation
  beforeAll(async () => {
    st = await createTestStation()
  })
  afterAll(() => st.close())

  it('declares camelCase fields on every route', () => {
    const offenders: string[] = []
    for (const r of st.app.routeTable) {
      const s = (r.schema ?? {}) as Record<string, unknown>
      const names = fieldNames([s.params, s.querystring, s.body, ...Object.values(s.response ?? {})])
      for (const name of names) {
        const where = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url} ${name}`
        if (!CAMEL.test(name) && !PENDING_CAMERA_FIELDS.has(where)) offenders.push(where)
      }
    }
    expect([...new Set(offenders)]).toEqual([])
  })

  it('keeps the pending list to what is still pending', () => {
    const seen = new Set<string>()
    for (const r of st.app.routeTable) {
      const s = (r.schema ?? {}) as Record<string, unknown>
      for (const name of fieldNames([s.params, s.querystring, s.body, ...Object.values(s.response ?? {})])) {
        seen.add(`${r.method} ${r.url} ${name}`)
      }
    }
    expect([...PENDING_CAMERA_FIELDS].filter((f) => !seen.has(f))).toEqual([])
  })

  it('uses camelCase in the device protocol', () => {
    expect([...fieldNames(DeviceToStation)].filter((n) => !CAMEL.test(n))).toEqual([])
    expectTypeOf<SnakeOrKebab<StationToDevice | DeviceErrorFrame>>().toEqualTypeOf<never>()
  })

  it("uses camelCase in the contract's types and the live messages (checked by tsc)", () => {
    // The one old name accepted on input for a release (and refused: it is read-only), never answered.
    expectTypeOf<SnakeOrKebab<ArgsOf<OperationName>>>().toEqualTypeOf<'is_online'>()
    expectTypeOf<SnakeOrKebab<ResultOf<OperationName>>>().toEqualTypeOf<never>()
    expectTypeOf<SnakeOrKebab<LiveMessage>>().toEqualTypeOf<never>()
  })
})

/**
 * Request validation with two Ajv instances (through Fastify's own @fastify/ajv-compiler):
 * - bodies are validated as sent, never coerced: `"enabled": "false"` or `"name": ["x"]` is a 400, not
 *   a boolean or a string;
 * - querystrings and params are strings on the wire, so they are coerced to the schema's types, and then
 *   every number must be finite (`limit=1e400` would otherwise pass as Infinity and reach SQLite).
 */
import { AjvCompiler, type BuildCompilerFromPool } from '@fastify/ajv-compiler'

const COMMON = { removeAdditional: false, allErrors: false } as const

interface Validate {
  (data: unknown, ctx?: unknown): boolean | { error: Error }
  errors?: unknown
  schemaEnv?: unknown
}

function nonFinite(data: unknown, path = ''): string | undefined {
  if (typeof data === 'number') return Number.isFinite(data) ? undefined : path || 'value'
  if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      const bad = nonFinite(v, path ? `${path}.${k}` : k)
      if (bad) return bad
    }
  }
  return undefined
}

/** Wraps a coercing validator: after coercion, a number that is not finite is a validation error. */
function finiteNumbers(inner: Validate): Validate {
  const outer: Validate = (data, ctx) => {
    const ok = inner(data, ctx)
    outer.errors = inner.errors
    if (ok !== true) return ok
    const bad = nonFinite(data)
    if (!bad) return true
    return { error: Object.assign(new Error(`${bad} must be a finite number`), { validation: [] }) }
  }
  // Fastify passes the parent object (for Ajv's in-place coercion) only to validators that carry this.
  outer.schemaEnv = inner.schemaEnv
  return outer
}

export const buildValidator: BuildCompilerFromPool = (externalSchemas) => {
  const factory = AjvCompiler()
  const bodies = factory(externalSchemas, { customOptions: { ...COMMON, coerceTypes: false } })
  const strings = factory(externalSchemas, { customOptions: { ...COMMON, coerceTypes: 'array' } })
  type Route = Parameters<typeof bodies>[0]
  const compile = (route: Route) => {
    const part = (route as { httpPart?: string }).httpPart
    return part === 'body' || part === undefined
      ? bodies(route)
      : (finiteNumbers(strings(route) as Validate) as ReturnType<typeof strings>)
  }
  return compile as ReturnType<BuildCompilerFromPool>
}

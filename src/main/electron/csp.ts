/**
 * The Content-Security-Policy of the app's pages. The renderer's own `<meta>` policy ships in its HTML;
 * the desktop app adds this header to the station's pages as they load in its window (both apply, so
 * the stricter wins). `cspProblems` is the checklist the tests run on both.
 */
import { pageCsp } from '../server/security-headers'

/** The header policy for the app's pages served by the station at `origin`. */
export function desktopCsp(origin: string): string {
  return pageCsp(origin.replace(/^http/, 'ws'))
}

export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), values)
  }
  return out
}

const LOOSE_SCRIPT_SOURCES = [
  "'unsafe-eval'",
  "'unsafe-inline'",
  "'wasm-unsafe-eval'",
  '*',
  'http:',
  'https:',
  'data:',
  'blob:',
]

/** What a policy misses of the checklist: scripts from the app only, no eval, no plugins, no base tag. */
export function cspProblems(policy: string): string[] {
  const csp = parseCsp(policy)
  const problems: string[] = []
  const scripts = csp.get('script-src') ?? csp.get('default-src')
  if (!scripts) problems.push('no script-src (nor default-src)')
  else {
    for (const s of scripts) {
      if (LOOSE_SCRIPT_SOURCES.includes(s.toLowerCase()) || /^https?:\/\//i.test(s)) {
        problems.push(`script-src allows ${s}`)
      }
    }
    if (!scripts.includes("'self'")) problems.push("script-src is not 'self'")
  }
  for (const [name, values] of csp) {
    if (values.some((v) => v.toLowerCase() === "'unsafe-eval'")) problems.push(`${name} allows 'unsafe-eval'`)
  }
  const objects = csp.get('object-src') ?? csp.get('default-src')
  if (!objects || !(objects.length === 1 && objects[0] === "'none'"))
    problems.push("object-src is not 'none'")
  const base = csp.get('base-uri')
  if (!base || !(base.includes("'none'") || (base.length === 1 && base[0] === "'self'"))) {
    problems.push("base-uri is not 'none' or 'self'")
  }
  return problems
}

/** The policy in an HTML page's `<meta http-equiv="Content-Security-Policy">`, if any. */
export function metaCsp(html: string): string | undefined {
  const tag = /<meta[^>]+http-equiv=["']Content-Security-Policy["'][^>]*>/i.exec(html)?.[0]
  return tag ? /content=(["'])(.*?)\1/is.exec(tag)?.[2] : undefined
}

/**
 * How a configuration setting is declared, parsed and described. Each setting has one TypeBox schema
 * (type, limits, title, one-line description) that the environment parser, the settings API and the
 * settings form all check against, plus its environment variable, default and unit. The entries
 * themselves are in `catalog.ts` and `video.ts`. Pure data and functions: no Node, DOM or Electron.
 */
import {
  Type,
  type TBoolean,
  type TInteger,
  type TLiteral,
  type TString,
  type TUnion,
} from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

interface Base<D> {
  /** The environment variable that sets it. */
  env: string
  /** The value when the variable is unset or empty (`undefined`: none, or computed where it is read). */
  default: D
  /** Shown in the docs instead of the default, when that is computed or absent ("generated"). */
  defaultNote?: string
  /** What a number counts (`ms` and `bytes` are also shown as `30 s`, `2 MiB`). */
  unit?: string
  /** A password or key: error messages do not repeat the value. */
  secret?: boolean
}

export interface IntSetting extends Base<number> {
  kind: 'integer'
  schema: TInteger & { minimum: number; maximum: number; title: string; description: string }
}
export interface FlagSetting extends Base<boolean> {
  kind: 'flag'
  schema: TBoolean & { title: string; description: string }
}
export interface TextSetting<D extends string | undefined = string | undefined> extends Base<D> {
  kind: 'text'
  schema: TString & { maxLength: number; title: string; description: string }
  /** The schema's pattern in words ("letters, digits and . _ ~ -"). */
  patternText?: string
}
export interface ChoiceSetting<T extends string = string> extends Base<T> {
  kind: 'choice'
  choices: readonly T[]
  schema: TUnion<TLiteral<T>[]> & { title: string; description: string }
}
export type Setting = IntSetting | FlagSetting | TextSetting | ChoiceSetting

interface Meta {
  env: string
  title: string
  description: string
  defaultNote?: string
  secret?: boolean
}

/** Splits a builder's options into the entry's fields and its schema's keywords. */
function split<O extends Meta & { default?: unknown; unit?: string; patternText?: string }>(o: O) {
  const { env, default: def, defaultNote, secret, unit, patternText, ...schema } = o
  return { entry: { env, default: def as O['default'], defaultNote, secret, unit, patternText }, schema }
}

/** A whole number within `minimum`..`maximum`. */
export function int(
  o: Meta & { default: number; minimum: number; maximum: number; unit?: string },
): IntSetting {
  const { entry, schema } = split(o)
  return { kind: 'integer', ...entry, schema: Type.Integer(schema) as IntSetting['schema'] }
}

/** true or false (1/0, yes/no, on/off in the environment). */
export function flag(o: Meta & { default: boolean }): FlagSetting {
  const { entry, schema } = split(o)
  return { kind: 'flag', ...entry, schema: Type.Boolean(schema) as FlagSetting['schema'] }
}

/** A text; without a default, unset means none (or a default computed where it is read). */
export function text<D extends string | undefined = undefined>(
  o: Meta & { default?: D; minLength?: number; maxLength: number; pattern?: string; patternText?: string },
): TextSetting<D> {
  const { entry, schema } = split(o)
  return {
    kind: 'text',
    ...entry,
    default: entry.default as D,
    schema: Type.String({ minLength: 1, ...schema }) as TextSetting['schema'],
  }
}

/** One of a few words, matched without regard to case. */
export function choice<const T extends string>(
  choices: readonly T[],
  o: Meta & { default: NoInfer<T> },
): ChoiceSetting<T> {
  const { entry, schema } = split(o)
  const literals = choices.map((c) => Type.Literal(c))
  return {
    kind: 'choice',
    ...entry,
    choices,
    schema: Type.Union(literals, schema) as ChoiceSetting<T>['schema'],
  }
}

const TRUE = ['1', 'true', 'yes', 'on']
const FALSE = ['0', 'false', 'no', 'off']

/** A written value as the setting's type, or undefined when it does not pass the setting's schema. */
export function parseSetting(s: Setting, raw: string): number | boolean | string | undefined {
  let value: unknown = raw
  if (s.kind === 'integer') value = /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : undefined
  else if (s.kind === 'flag') {
    const word = raw.trim().toLowerCase()
    value = TRUE.includes(word) ? true : FALSE.includes(word) ? false : undefined
  } else if (s.kind === 'choice') value = s.choices.find((c) => c.toLowerCase() === raw.trim().toLowerCase())
  return value !== undefined && Value.Check(s.schema, value)
    ? (value as number | boolean | string)
    : undefined
}

type Env = Record<string, string | undefined>

function read(env: Env, s: Setting): number | boolean | string | undefined {
  const raw = env[s.env]
  if (raw === undefined || raw === '') return s.default
  const value = parseSetting(s, raw)
  if (value === undefined) {
    // A secret is not repeated into logs.
    const got = s.secret ? `got ${raw.length} characters` : `got "${raw}"`
    throw new Error(`${s.env} must be ${allowedText(s)}, ${got}`)
  }
  return value
}

/** Reads settings from one environment: the overloads give each kind of setting its type. */
export interface SettingReader {
  (s: IntSetting): number
  (s: FlagSetting): boolean
  <T extends string>(s: ChoiceSetting<T>): T
  <D extends string | undefined>(s: TextSetting<D>): string | D
}

/**
 * Reads settings from an environment: a setting's default when its variable is unset or empty;
 * otherwise the parsed value, or an error naming the variable and what it allows.
 */
export function settingReader(env: Env): SettingReader {
  return ((s: Setting) => read(env, s)) as SettingReader
}

const DAY = 86_400_000
const TIME_UNITS: [number, string][] = [
  [DAY, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1000, 's'],
]
const SIZE_UNITS: [number, string][] = [
  [1024 * 1024 * 1024, 'GiB'],
  [1024 * 1024, 'MiB'],
  [1024, 'KiB'],
]

/** A duration or size in a reader's unit (`30 s`, `12 h`, `256 KiB`), or undefined for other units. */
export function humanValue(value: number, unit: string | undefined): string | undefined {
  const units = unit === 'ms' ? TIME_UNITS : unit === 'bytes' ? SIZE_UNITS : undefined
  if (!units) return undefined
  // Days only from two days on: "24 h" reads better than "1 d".
  const found = units.find(([n]) => value >= n && value % n === 0 && (n !== DAY || value >= 2 * DAY))
  return found ? `${value / found[0]} ${found[1]}` : `${value} ${unit === 'ms' ? 'ms' : 'bytes'}`
}

/** The range a number may take, with its unit: `1000 to 86400000 ms (1 s to 24 h)`. */
export function rangeText(s: IntSetting): string {
  const { minimum: min, maximum: max } = s.schema
  const range = `${min} to ${max}${s.unit ? ` ${s.unit}` : ''}`
  const low = humanValue(min, s.unit)
  const high = humanValue(max, s.unit)
  return low && high && (low !== `${min} ${s.unit}` || high !== `${max} ${s.unit}`)
    ? `${range} (${low} to ${high})`
    : range
}

/** What a setting allows, to follow "must be": `a whole number from 1 to 16 worker threads`. */
export function allowedText(s: Setting): string {
  switch (s.kind) {
    case 'integer':
      return `a whole number from ${rangeText(s)}`
    case 'flag':
      return 'true or false'
    case 'choice':
      return s.choices.length === 2 ? s.choices.join(' or ') : `one of ${s.choices.join(', ')}`
    case 'text': {
      const { minLength = 1, maxLength } = s.schema
      const length = minLength > 1 ? `at least ${minLength} and at most ${maxLength}` : `1 to ${maxLength}`
      return `a text of ${length} characters${s.patternText ? ` (${s.patternText})` : ''}`
    }
  }
}

/** The name a person reads: the title, with the unit when there is one (`Response cache TTL (ms)`). */
export function settingLabel(s: Setting): string {
  return s.unit ? `${s.schema.title} (${s.unit})` : s.schema.title
}

/**
 * The pieces a read catalogue is written with (read-queries.ts; domain catalogues spread into it, such as
 * recording/playback/playback-reads.ts): named queries with typed parameters and rows, and the interrupt
 * point every scan reaches (see read-queries.ts).
 */
declare const types: unique symbol

/** A named read: one row (`one`, an aggregate that always answers a row) or all of them. */
export interface ReadQuery<P, R> {
  mode: 'all' | 'one'
  sql: string
  /** Type-only: the parameters and the result (never present at run time). */
  readonly [types]?: (params: P) => R
}

export type ReadCatalogue = Record<string, ReadQuery<never, unknown>>
export type ReadParams<Q> = Q extends ReadQuery<infer P, unknown> ? P : never
export type ReadResult<Q> = Q extends ReadQuery<never, infer R> ? R : never

/** A query answering every row, as `Row[]`. */
export const all = <P, Row>(sql: string): ReadQuery<P, Row[]> => ({ mode: 'all', sql })
/** A query answering exactly one row (a count): no row is an error. */
export const one = <P, Row>(sql: string): ReadQuery<P, Row> => ({ mode: 'one', sql })

/** The SQL function behind `INTERRUPT_POINT`, registered on every connection that runs the catalogue. */
export const INTERRUPT_FUNCTION = 'interrupt_point'
/** A WHERE term (always true) that gives a thread being terminated the chance to stop: see above. */
export const INTERRUPT_POINT = `${INTERRUPT_FUNCTION}()`
/**
 * The same, called for one row in 1024 (by its integer key, which SQLite reads for free): the call into
 * JavaScript is what costs, so the catalogue's scans pay about half of what a call per row does, and a
 * terminated thread still stops within about a thousand rows.
 */
export const interruptEvery = (key: string) => `((${key} & 1023) != 0 OR ${INTERRUPT_POINT})`

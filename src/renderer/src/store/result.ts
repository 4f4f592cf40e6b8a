/** What a user action answers to its form: the value, or the station's message when it refused. */
import { StationRequestError } from '../transport/types'
import { errorMessage } from './types'

export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: string; status: number }

export async function attempt<T>(run: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (err) {
    return {
      ok: false,
      error: errorMessage(err),
      status: err instanceof StationRequestError ? err.status : 0,
    }
  }
}

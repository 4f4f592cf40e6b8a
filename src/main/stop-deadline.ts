/**
 * A hard deadline on stopping (the headless runner's, like the desktop app's quit sequence): a station
 * that has not stopped in time is left behind with exit code 1 rather than hanging the process.
 */

/** The headless runner's limit: the station cuts slow connections after 5 s, so this is only a backstop. */
export const STOP_DEADLINE_MS = 10_000

/** Resolves 'stopped' when `stop` settles in time (rejecting if it failed), 'timeout' otherwise. */
export async function stopWithin(stop: () => Promise<void>, ms: number): Promise<'stopped' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms)
  })
  try {
    return await Promise.race([stop().then(() => 'stopped' as const), timeout])
  } finally {
    clearTimeout(timer)
  }
}

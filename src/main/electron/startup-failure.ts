/** What the guard is told when the station cannot start, in words that say what to do. */
import { isAbiMismatch } from './native-binding'

export function startupFailure(err: unknown): { title: string; detail: string } {
  const e = err as { code?: string; message?: string; port?: number; address?: string }
  const title = 'Guard Station could not start'
  if (e?.code === 'EADDRINUSE') {
    return {
      title,
      detail:
        `Another program already uses ${e.address ?? 'the address'}:${e.port ?? 'its port'} (another ` +
        'Guard Station, perhaps `npm run headless`?). Close it, or choose another port with STATION_PORT.',
    }
  }
  if (e?.code === 'EADDRNOTAVAIL') {
    return {
      title,
      detail: `The bind address ${e.address ?? ''} is not an address of this computer. Set STATION_HOST=0.0.0.0, or fix the saved bind address.`,
    }
  }
  if (isAbiMismatch(err)) {
    return {
      title,
      detail:
        'The SQLite module is not built for this Electron version. In a development checkout run ' +
        '`npm run rebuild:electron` (it builds into native/, leaving the Node build alone).\n\n' +
        String(e?.message ?? err),
    }
  }
  return { title, detail: String(e?.message ?? err) }
}

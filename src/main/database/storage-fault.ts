import { StationError } from '../server/errors'

/** How long a client waits before resending a write while the disk is full, read-only or damaged. */
export const STORAGE_RETRY_AFTER_S = 30

/**
 * Storage faults: what can be wrong with the station's database file or its disk, each with the sentence a
 * person can act on, the HTTP answer a client gets while it lasts and the headless runner's exit code when
 * it stops the station from starting (documented in README.md, "Storage faults").
 */

export type StorageFaultKind = 'full' | 'read-only' | 'damaged' | 'foreign'

/** Exit codes of `npm run headless` when the database cannot be used (1 stays "any other failure"). */
export const STORAGE_EXIT_CODES: Record<StorageFaultKind, number> = {
  damaged: 10,
  foreign: 11,
  'read-only': 12,
  full: 13,
}

/** The error code clients get while a fault lasts (503). */
export const STORAGE_ERROR_CODES: Record<StorageFaultKind, string> = {
  full: 'STORAGE_FULL',
  'read-only': 'STORAGE_READ_ONLY',
  damaged: 'STORAGE_DAMAGED',
  foreign: 'STORAGE_FOREIGN',
}

/**
 * The database cannot be used as it is: refused at start, or a write that failed for the disk's sake
 * (answered 503 with its code and Retry-After, over HTTP and on device sockets).
 */
export class StorageFault extends StationError {
  /** Set once the storage monitor has logged it (aggregated), so no one else logs it again. */
  reported = false
  constructor(
    readonly kind: StorageFaultKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(503, STORAGE_ERROR_CODES[kind], message, { 'retry-after': String(STORAGE_RETRY_AFTER_S) })
    if (options?.cause !== undefined) this.cause = options.cause
    this.name = 'StorageFault'
  }
  get exitCode(): number {
    return STORAGE_EXIT_CODES[this.kind]
  }
}

const READ_ONLY_FS_CODES = new Set(['EROFS', 'EACCES', 'EPERM'])

/** The storage fault an error from SQLite or the file system stands for, or undefined for any other error. */
export function storageFaultKind(err: unknown): StorageFaultKind | undefined {
  if (err instanceof StorageFault) return err.kind
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return undefined
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full'
  // CANTOPEN of a file that exists: a read-only volume (a WAL database needs its -shm) or no permission.
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM')
    return 'read-only'
  if (READ_ONLY_FS_CODES.has(code)) return 'read-only'
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged'
  return undefined
}

/** What a client or a log reader is told about a fault of this kind. */
export function storageFaultMessage(kind: StorageFaultKind, dataDir: string | undefined): string {
  const where = dataDir ?? 'the data folder'
  switch (kind) {
    case 'full':
      return `The station's disk is full (${where}): new data is refused until space is freed; nothing acknowledged was lost`
    case 'read-only':
      return `The station's database in ${where} is read-only: new data is refused; check the file's permissions and the volume's mount`
    case 'damaged':
      return `The station's database in ${where} is damaged: new data is refused; restore a backup (npm run headless -- --restore FILE)`
    case 'foreign':
      return `The file in ${where} is not this station's database`
  }
}

/** Turns an error into a StorageFault when it is one (same cause kept), else returns it unchanged. */
export function asStorageFault(err: unknown, dataDir: string | undefined): unknown {
  if (err instanceof StorageFault) return err
  const kind = storageFaultKind(err)
  return kind ? new StorageFault(kind, storageFaultMessage(kind, dataDir), { cause: err }) : err
}

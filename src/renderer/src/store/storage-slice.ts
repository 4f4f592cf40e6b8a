/**
 * Recorded storage for the admin screen: the station's figures per camera and for the volume
 * (`recordings:storage`), and an admin deleting a camera's footage over a range (`recordings:delete`).
 */
import type { RecordingsDeleted, StorageSummary } from '../../../shared/contract'
import { NO_ARGS } from '../transport/types'
import { attempt, type ActionResult } from './result'
import { errorMessage, type Slice, type StoreDeps } from './types'

export interface StorageData {
  storage: StorageSummary | null
  storageError: string | null
}

export interface StorageSlice extends StorageData {
  loadStorage(): Promise<void>
  deleteRecordings(q: {
    cameraId: number
    from: number
    to: number
    skipProtected?: boolean
  }): Promise<ActionResult<RecordingsDeleted>>
}

export const STORAGE_INITIAL: StorageData = { storage: null, storageError: null }

export const createStorageSlice =
  (deps: StoreDeps): Slice<StorageSlice> =>
  (set, get) => ({
    ...STORAGE_INITIAL,
    async loadStorage() {
      try {
        set({ storage: await deps.transport.request('recordings:storage', NO_ARGS), storageError: null })
      } catch (err) {
        set({ storageError: errorMessage(err) })
      }
    },
    async deleteRecordings(q) {
      const res = await attempt(() => deps.transport.request('recordings:delete', q))
      if (res.ok) await get().loadStorage()
      return res
    },
  })

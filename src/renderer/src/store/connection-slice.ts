/** The live connection's state, for the "connection lost" banner and its "last updated" time. */
import type { LiveStatus } from '../transport/types'
import type { Slice } from './types'

export interface ConnectionSlice {
  connection: LiveStatus
  setConnection(status: LiveStatus): void
}

export const createConnectionSlice: Slice<ConnectionSlice> = (set) => ({
  connection: { state: 'idle', attempt: 0, lastMessageAt: null, retryAt: null, error: null },
  setConnection: (connection) => set({ connection: { ...connection } }),
})

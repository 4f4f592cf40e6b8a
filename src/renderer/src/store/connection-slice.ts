/**
 * The live connection's state, for the "connection lost" banner and its "last updated" time; `lostAt`
 * while it is down (every state on screen is then unknown since that time), and `liveEpoch`, bumped each
 * time it comes back, so video tiles reconnect at once with fresh stream tokens.
 */
import type { LiveStatus } from '../transport/types'
import type { Slice } from './types'

export interface ConnectionSlice {
  connection: LiveStatus
  /** While the live connection is down: the last moment the station was heard from (epoch ms). */
  lostAt: number | null
  /** Counts the returns of the live connection after a loss. */
  liveEpoch: number
  setConnection(status: LiveStatus): void
}

export const createConnectionSlice: Slice<ConnectionSlice> = (set, get) => ({
  connection: { state: 'idle', attempt: 0, lastMessageAt: null, retryAt: null, error: null },
  lostAt: null,
  liveEpoch: 0,
  setConnection: (connection) => {
    const { lostAt, liveEpoch } = get()
    if (connection.state === 'reconnecting') {
      set({ connection: { ...connection }, lostAt: lostAt ?? connection.lastMessageAt ?? Date.now() })
    } else if (connection.state === 'open') {
      set({
        connection: { ...connection },
        lostAt: null,
        liveEpoch: lostAt !== null ? liveEpoch + 1 : liveEpoch,
      })
    } else if (connection.state === 'idle') {
      set({ connection: { ...connection }, lostAt: null })
    } else set({ connection: { ...connection } })
  },
})

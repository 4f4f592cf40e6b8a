/** The store reaches components through context (no module singleton), with typed selector hooks. */
import { createContext, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { useShallow } from 'zustand/react/shallow'
import type { StationStore } from './create-store'
import type { StationState, StoreDeps } from './types'

const StoreContext = createContext<StationStore | null>(null)

export function StoreProvider({ value, children }: { value: StationStore; children: ReactNode }) {
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>
}

function useStationStore(): StationStore {
  const s = useContext(StoreContext)
  if (!s) throw new Error('StoreProvider is missing')
  return s
}

/** One field (or a derived primitive) of the store. */
export function useStation<T>(selector: (s: StationState) => T): T {
  return useStore(useStationStore().store, selector)
}

/** Several fields at once, compared shallowly: re-renders only when one of them changes. */
export function useStationShallow<T extends object>(selector: (s: StationState) => T): T {
  return useStore(useStationStore().store, useShallow(selector))
}

/** The non-state parts (reading bus, stats series, transport) for charts and video tiles. */
export function useDeps(): StoreDeps {
  return useStationStore().deps
}

export function useStationApi() {
  return useStationStore().store
}

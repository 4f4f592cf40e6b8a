/** Buzzer commands per device; their lifecycle (queued, sent, acknowledged, expired, failed) updates live. */
import type { BuzzerTrigger, BuzzerTriggerResult } from '../../../shared/contract'
import type { BuzzerRequest } from '../../../shared/schemas/entities'
import { attempt, type ActionResult } from './result'
import type { Slice, StoreDeps } from './types'

export const MAX_REQUESTS_PER_DEVICE = 20
export const FINAL_STATUSES = new Set<BuzzerRequest['status']>(['acknowledged', 'expired', 'failed'])

export interface BuzzersData {
  /** deviceId → requests, most recent first. */
  buzzerRequests: Record<string, BuzzerRequest[]>
}

export interface BuzzersSlice extends BuzzersData {
  loadBuzzerRequests(deviceId: string): Promise<void>
  triggerBuzzer(args: BuzzerTrigger): Promise<ActionResult<BuzzerTriggerResult>>
  applyBuzzerStatus(request: BuzzerRequest): void
}

export const BUZZERS_INITIAL: BuzzersData = { buzzerRequests: {} }

function upsert(list: BuzzerRequest[], r: BuzzerRequest): BuzzerRequest[] {
  const i = list.findIndex((x) => x.id === r.id)
  if (i !== -1) {
    // Never step back: a late `sent` must not overwrite `acknowledged`.
    if (list[i]!.updatedAt > r.updatedAt) return list
    const copy = list.slice()
    copy[i] = r
    return copy
  }
  return [r, ...list].sort((a, b) => b.createdAt - a.createdAt).slice(0, MAX_REQUESTS_PER_DEVICE)
}

export const createBuzzersSlice =
  (deps: StoreDeps): Slice<BuzzersSlice> =>
  (set, get) => {
    const apply = (r: BuzzerRequest) =>
      set({
        buzzerRequests: {
          ...get().buzzerRequests,
          [r.deviceId]: upsert(get().buzzerRequests[r.deviceId] ?? [], r),
        },
      })
    /** In case a live update is missed: ask for the outcome once the command must have ended. */
    const settleLater = (id: string, expiresAt: number) => {
      const now = deps.now?.() ?? Date.now()
      setTimeout(
        () => {
          void deps.transport.request('buzzer:request', { id }).then(apply, () => {})
        },
        Math.max(0, Math.min(expiresAt - now + 1000, 10 * 60_000)),
      )
    }
    return {
      ...BUZZERS_INITIAL,

      async loadBuzzerRequests(deviceId) {
        try {
          const list = await deps.transport.request('buzzer:requests', {
            deviceId,
            limit: MAX_REQUESTS_PER_DEVICE,
          })
          set({ buzzerRequests: { ...get().buzzerRequests, [deviceId]: list } })
        } catch {
          /* the panel shows what it has */
        }
      },

      async triggerBuzzer(args) {
        const res = await attempt(() => deps.transport.request('buzzer:trigger', args))
        if (res.ok) {
          void deps.transport.request('buzzer:request', { id: res.value.requestId }).then(
            (r) => {
              apply(r)
              if (!FINAL_STATUSES.has(r.status)) settleLater(r.id, r.expiresAt)
            },
            () => {},
          )
        }
        return res
      },

      applyBuzzerStatus: apply,
    }
  }

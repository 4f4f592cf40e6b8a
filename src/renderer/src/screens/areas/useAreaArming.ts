/**
 * The site's areas with their armed/disarmed state: loaded once, then kept current by the live channel
 * (`area.arming`, from any desk). `setArmed` asks the station and answers the error to show, if any.
 */
import { useCallback, useEffect, useState } from 'react'
import type { AreaArming } from '../../../../shared/schemas/alarms'
import type { Area } from '../../../../shared/schemas/entities'
import { attempt } from '../../store/result'
import { useDeps } from '../../store/context'

export interface AreaWithArming {
  area: Area
  arming: AreaArming | null
}

export function useAreaArming() {
  const { transport } = useDeps()
  const [areas, setAreas] = useState<Area[] | null>(null)
  const [arming, setArming] = useState<Record<number, AreaArming>>({})
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let gone = false
    const off = transport.subscribe((m) => {
      if (m.type === 'area.arming') setArming((a) => ({ ...a, [m.arming.areaId]: m.arming }))
    })
    void (async () => {
      const list = await attempt(() => transport.request('areas:list', {}))
      if (gone) return
      if (!list.ok) return setError(list.error)
      setAreas(list.value)
      const states = await Promise.all(
        list.value.map((a) => attempt(() => transport.request('areas:arming', { id: a.id }))),
      )
      if (gone) return
      setArming((cur) => {
        const next = { ...cur }
        for (const r of states) if (r.ok && !next[r.value.areaId]) next[r.value.areaId] = r.value
        return next
      })
    })()
    return () => {
      gone = true
      off()
    }
  }, [transport])

  const setArmed = useCallback(
    async (areaId: number, armed: boolean): Promise<string | null> => {
      const r = await attempt(() => transport.request('areas:arm', { id: areaId, armed }))
      if (!r.ok) return r.error
      setArming((a) => ({ ...a, [areaId]: r.value }))
      return null
    },
    [transport],
  )

  const rows: AreaWithArming[] | null =
    areas && areas.map((area) => ({ area, arming: arming[area.id] ?? null }))
  return { rows, error, setArmed }
}

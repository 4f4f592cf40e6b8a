/**
 * How players reach the station: segment lists through the transport (IPC or HTTP, like every operation),
 * segment files over HTTP with a short-lived stream token in `?token=` (the same origin in both runtimes),
 * as video tiles do.
 */
import { useMemo } from 'react'
import { useDeps } from '../../store/context'
import type { PlaybackSource } from '../../video/playback/playback-player'

/** A URL of the station with a fresh stream token (files and downloads cannot send the session header). */
export function useTokenUrl(): (path: string) => Promise<string> {
  const deps = useDeps()
  return useMemo(
    () => async (path: string) => {
      const tokens = deps.video?.tokens
      if (!tokens) return path
      const token = await tokens.get()
      return `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`
    },
    [deps],
  )
}

export function usePlaybackSource(): PlaybackSource {
  const deps = useDeps()
  const tokenUrl = useTokenUrl()
  return useMemo(
    () => ({
      segments: (cameraId, from, to, limit) =>
        deps.transport.request('recordings:segments', { cameraId, from, to, limit }),
      async file(url, signal) {
        let res = await fetch(await tokenUrl(url), { signal, credentials: 'omit' })
        if (res.status === 401) {
          // The token expired between fetching it and using it: once more with a new one.
          deps.video?.tokens.forget()
          res = await fetch(await tokenUrl(url), { signal, credentials: 'omit' })
        }
        if (!res.ok) throw new Error(`the station answered ${res.status} for a recording`)
        return res.arrayBuffer()
      },
    }),
    [deps, tokenUrl],
  )
}

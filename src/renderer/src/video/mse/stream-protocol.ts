/**
 * Reading the text messages of the fMP4 viewer protocol (src/shared/schemas/fmp4-stream.ts), plus the
 * relay's camera status messages the same endpoint may send. Anything else is not for us (null).
 */
import type { Fmp4StreamMode, Fmp4TextMessage } from '../../../../shared/schemas/fmp4-stream'
import type { StreamStatusMessage } from '../../../../shared/schemas/video'

export type StreamText = Fmp4TextMessage | StreamStatusMessage

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0
const MODES: readonly unknown[] = ['direct', 'sub', 'transcoded'] satisfies Fmp4StreamMode[]
const isMode = (v: unknown): v is Fmp4StreamMode => MODES.includes(v)

export function parseStreamText(text: string): StreamText | null {
  let m: unknown
  try {
    m = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof m !== 'object' || m === null) return null
  const o = m as Record<string, unknown>
  if (o.type === 'init') {
    if (typeof o.codec !== 'string' || o.codec === '') return null
    return {
      type: 'init',
      codec: o.codec,
      stream: o.stream === 'main' ? 'main' : 'sub',
      ...(positive(o.width) ? { width: o.width } : {}),
      ...(positive(o.height) ? { height: o.height } : {}),
      // An unknown mode (a newer station) is left out: the tile then names the codec alone.
      ...(isMode(o.mode) ? { mode: o.mode } : {}),
    }
  }
  if (o.type === 'error')
    return { type: 'error', reason: typeof o.reason === 'string' ? o.reason : 'unknown error' }
  if (o.type === 'status' && typeof o.state === 'string') return o as unknown as StreamStatusMessage
  return null
}

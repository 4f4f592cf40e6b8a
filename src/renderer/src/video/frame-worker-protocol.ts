/** Messages between the page (FrameStream) and the video worker (frame-worker.ts). */
import type { StreamStatusMessage } from '../../../shared/contract'
import type { FrameStats, Size } from './frame-pump'

export type ToWorker =
  | {
      op: 'open'
      id: number
      cameraId: number
      fps: number | undefined
      wsBaseUrl: string
      canvas: OffscreenCanvas
      box: Size | null
    }
  | { op: 'size'; id: number; box: Size | null }
  | { op: 'fps'; id: number; fps: number | undefined }
  | { op: 'close'; id: number }
  /** The answer to a `token` request: a stream token, or why there is none. */
  | { op: 'token'; req: number; token?: string; error?: string }

export type FromWorker =
  | { op: 'stats'; id: number; stats: FrameStats }
  | { op: 'status'; id: number; status: StreamStatusMessage }
  /** The stream needs a (fresh) stream token to connect; `refused`: the one the station just refused. */
  | { op: 'token'; id: number; req: number; refused?: string | undefined }

/** Footage: exports (a copy leaves the station), "record now", and admins' deletions. */
import { param } from '../audit-rules'
import { bodyOf, type RuleSet } from './types'

const query = (req: { query?: unknown }) => (req.query ?? {}) as Record<string, unknown>
const cameraOfQuery = (req: { query?: unknown }) => {
  const id = Number(query(req).cameraId)
  return Number.isInteger(id) ? id : null
}

export function recordingRules(): RuleSet {
  return {
    'recording.export': {
      target: ({ req }) => ({ kind: 'camera', id: param(req, 'cameraId') }),
      // POST …/exports (a job) or GET …/export.mp4 (one request): the range, never the stream token.
      after: ({ req, data }) => {
        const job = data as { id?: string } | undefined
        const range = bodyOf(req) ?? query(req)
        return { from: range.from, to: range.to, ...(job?.id ? { job: job.id } : {}) }
      },
    },
    'recording.export-cancel': {
      target: ({ req }) => ({ kind: 'export', id: param(req) }),
      after: ({ data }) => {
        const job = data as { cameraId?: number; state?: string } | undefined
        return { cameraId: job?.cameraId, state: job?.state }
      },
    },
    'recording.record-now': {
      target: ({ req }) => ({ kind: 'camera', id: param(req, 'cameraId') }),
      after: ({ req, data }) => ({ ...bodyOf(req), ...(data as object) }),
    },
    'recording.delete': {
      target: ({ req }) => ({ kind: 'camera', id: cameraOfQuery(req) }),
      before: (req) => {
        const q = query(req)
        return { from: q.from, to: q.to, skipProtected: q.skipProtected }
      },
      after: ({ data }) => data,
    },
  }
}

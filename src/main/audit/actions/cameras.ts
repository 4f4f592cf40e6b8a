/** Cameras: before and after are the admin view (URL secrets masked; credentials only as hasCredentials). */
import { idOf, param } from '../audit-rules'
import type { AuditSources, RuleSet } from './types'

export function cameraRules(src: AuditSources): RuleSet {
  const view = (id: unknown) => (typeof id === 'number' ? src.camera(id) : undefined)
  return {
    'camera.create': {
      target: ({ data }) => ({ kind: 'camera', id: idOf(data) }),
      after: ({ data }) => data,
    },
    'camera.update': {
      target: ({ req }) => ({ kind: 'camera', id: param(req) }),
      before: (req) => view(param(req)),
      after: ({ data }) => data,
    },
    'camera.delete': {
      target: ({ req }) => ({ kind: 'camera', id: param(req) }),
      before: (req) => view(param(req)),
    },
  }
}

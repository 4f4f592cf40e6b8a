/**
 * Station settings, the site key and the metrics token. Values are the saved settings (key → value); the
 * site key and tokens never appear, only that they changed.
 */
import type { StationSettings } from '../../../shared/schemas/station-settings'
import type { AuditSources, RuleSet } from './types'

const saved = (s: StationSettings | undefined) =>
  s ? Object.fromEntries(s.settings.map((x) => [x.key, x.saved])) : undefined

export function settingsRules(src: AuditSources): RuleSet {
  return {
    'settings.update': {
      target: () => ({ kind: 'settings', id: 'station' }),
      before: () => saved(src.stationSettings()),
      after: ({ data }) => {
        const s = data as StationSettings | undefined
        return s ? { ...saved(s), changed: s.changed ?? [] } : undefined
      },
    },
    'key.rotate': { target: () => ({ kind: 'settings', id: 'deviceKey' }) },
    'metrics-token.issue': {
      action: 'token.issue',
      target: () => ({ kind: 'metrics-token', id: null }),
      after: ({ data }) => {
        const d = data as { issuedAt?: unknown; issuedBy?: unknown } | undefined
        return d ? { issuedAt: d.issuedAt, issuedBy: d.issuedBy } : undefined
      },
    },
    'metrics-token.revoke': { action: 'token.revoke', target: () => ({ kind: 'metrics-token', id: null }) },
  }
}

/** How the audit screen shows an entry: pure, so it is tested without a page. */
import type { AuditEntry } from '../../../../shared/schemas/audit'

export function actorLabel(e: Pick<AuditEntry, 'actorKind' | 'actorName'>): string {
  if (e.actorKind === 'anonymous') return e.actorName ? `${e.actorName} (not signed in)` : 'not signed in'
  return e.actorName ?? e.actorKind
}

export function targetLabel(e: Pick<AuditEntry, 'targetKind' | 'targetId'>): string {
  if (!e.targetKind) return ''
  return e.targetId ? `${e.targetKind} ${e.targetId}` : e.targetKind
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))

/** The fields that changed, "name: Gate → Main gate"; or what was created or removed. */
export function changeSummary(e: Pick<AuditEntry, 'before' | 'after'>): string {
  const b = e.before as Record<string, unknown> | null
  const a = e.after as Record<string, unknown> | null
  if (b && a && typeof b === 'object' && typeof a === 'object') {
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
      (k) => k !== 'updatedAt' && JSON.stringify(b[k]) !== JSON.stringify(a[k]) && k in a,
    )
    return keys.map((k) => `${k}: ${show(b[k] ?? '–')} → ${show(a[k])}`).join('; ')
  }
  const one = a ?? b
  if (!one || typeof one !== 'object') return ''
  const name = one.name ?? one.username
  return name !== undefined ? `${a ? '' : 'was '}${show(name)}` : show(one).slice(0, 120)
}

/** `<input type="datetime-local">` value → epoch ms (local time), or undefined when empty. */
export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined
  const ms = new Date(value).getTime()
  return Number.isFinite(ms) ? ms : undefined
}

/**
 * `app.audit`: appends audit entries through the 'audit' group-commit queue, whose transactions run on the
 * writer ('audit.append': chained to the head in the same transaction). `record()` resolves once the entry
 * is committed; the plugin's answer waits for it, so an action is acknowledged only after its entry is
 * stored. Holds the rules routes name (`define`, `rule`) and what the chain check at start found.
 *
 * The queue is not one of `app.queues` (which close at the first step of shutdown): requests still in
 * flight then must have their entries written, so it closes in the plugin's onClose, after the server has
 * stopped and before the database closes.
 */
import type { QueueConfig } from '../config'
import type { Writer } from '../database/writer'
import { GroupCommitQueue } from '../queues/group-commit-queue'
import type { AuditChainStatus } from '../../shared/schemas/audit'
import type { AuditDraft, ChainedEntry } from './audit-repository'
import type { AuditRule, AuditTarget } from './audit-rules'
import type { AuditActor } from './request-origin'
import { redactSecrets } from './redact'

/** Operator actions are few: commit at once, modest batches, a bound no desk reaches. */
export const AUDIT_QUEUE: QueueConfig = { maxWaitMs: 50, batchSize: 200, maxPending: 5_000 }
/** Before/after larger than this (JSON) are stored as a note of their size. */
export const MAX_AUDIT_VALUE_BYTES = 32_768

export interface NewAuditEntry {
  at?: number
  actor: AuditActor
  /** IP address, `desktop` or `station`. */
  source: string
  action: string
  target?: AuditTarget | null
  before?: unknown
  after?: unknown
}

interface Pending {
  draft: AuditDraft
  chained?: ChainedEntry
}

interface Log {
  error: (obj: object, msg: string) => void
}

function json(value: unknown): string | null {
  if (value === undefined || value === null) return null
  const text = JSON.stringify(redactSecrets(value))
  if (text.length <= MAX_AUDIT_VALUE_BYTES) return text
  return JSON.stringify({ truncated: true, bytes: text.length })
}

export class AuditService {
  readonly queue: GroupCommitQueue<Pending>
  private readonly rules = new Map<string, AuditRule>()
  /** The routes that name a rule (`METHOD /url`), as they were registered. */
  readonly routes: { url: string; rule: string }[] = []
  private status: AuditChainStatus | undefined
  private failures = 0

  constructor(
    private readonly deps: { writer: Writer; log: Log; queueConfig?: QueueConfig; now?: () => number },
  ) {
    this.queue = new GroupCommitQueue<Pending>(
      'audit',
      deps.queueConfig ?? AUDIT_QUEUE,
      (items) => this.commit(items),
      { onError: (err) => deps.log.error({ err }, 'audit write failed') },
    )
  }

  private async commit(items: Pending[]): Promise<void> {
    const chained = await this.deps.writer.run(
      'audit.append',
      items.map((i) => i.draft),
    )
    items.forEach((item, i) => (item.chained = chained[i]))
  }

  /** Appends an entry (secrets redacted); resolves with its place in the chain once committed. */
  async record(e: NewAuditEntry): Promise<ChainedEntry> {
    const item: Pending = {
      draft: {
        at: e.at ?? this.deps.now?.() ?? Date.now(),
        actorKind: e.actor.kind,
        actorId: e.actor.id,
        actorName: e.actor.name?.slice(0, 128) ?? null,
        source: e.source,
        action: e.action,
        targetKind: e.target?.kind ?? null,
        targetId: e.target?.id === null || e.target?.id === undefined ? null : String(e.target.id),
        beforeJson: json(e.before),
        afterJson: json(e.after),
      },
    }
    try {
      await this.queue.enqueue([item])
    } catch (err) {
      this.failures++
      throw err
    }
    return item.chained!
  }

  /** Adds a rule routes can name in `config.audit` (rules, alarms and arming add theirs this way). */
  define(name: string, rule: AuditRule): void {
    if (this.rules.has(name)) throw new Error(`The audit rule "${name}" is already defined`)
    this.rules.set(name, rule)
  }

  rule(name: string): AuditRule | undefined {
    return this.rules.get(name)
  }

  has(name: string): boolean {
    return this.rules.has(name)
  }

  set chain(status: AuditChainStatus) {
    this.status = status
  }

  /** What the check at start found (undefined before it ran). */
  get chain(): AuditChainStatus | undefined {
    return this.status
  }

  stats(): { failures: number; pending: number } {
    return { failures: this.failures, pending: this.queue.pending }
  }

  /** Writes what is queued, then refuses more. */
  close(): Promise<void> {
    return this.queue.close()
  }
}

/** SQL for buzzer requests: every status change is an upsert of the whole row (run by the writer for the buzzer queue). */
import type { Db } from '../database/open'
import type { BuzzerRequest } from '../../shared/schemas/entities'

interface BuzzerRow {
  id: string
  device_id: string
  action: BuzzerRequest['action']
  duration_ms: number | null
  pattern: BuzzerRequest['pattern']
  status: BuzzerRequest['status']
  requested_by: string | null
  error: string | null
  created_at: number
  sent_at: number | null
  acked_at: number | null
  expires_at: number
  updated_at: number
}

const toRequest = (r: BuzzerRow): BuzzerRequest => ({
  id: r.id,
  deviceId: r.device_id,
  action: r.action,
  durationMs: r.duration_ms,
  pattern: r.pattern,
  status: r.status,
  requestedBy: r.requested_by,
  error: r.error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  acknowledgedAt: r.acked_at,
  expiresAt: r.expires_at,
  updatedAt: r.updated_at,
})

export class BuzzerRepository {
  private readonly upsert
  private readonly byId
  private readonly byDevice
  private readonly open

  constructor(db: Db) {
    this.upsert = db.prepare<BuzzerRequest>(
      `INSERT INTO buzzer_requests (id, device_id, action, duration_ms, pattern, status, requested_by, error,
                                    created_at, sent_at, acked_at, expires_at, updated_at)
       VALUES (@id, @deviceId, @action, @durationMs, @pattern, @status, @requestedBy, @error,
               @createdAt, @sentAt, @acknowledgedAt, @expiresAt, @updatedAt)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, error = excluded.error,
              sent_at = excluded.sent_at, acked_at = excluded.acked_at, updated_at = excluded.updated_at`,
    )
    this.byId = db.prepare<[string], BuzzerRow>('SELECT * FROM buzzer_requests WHERE id = ?')
    this.byDevice = db.prepare<[string, number], BuzzerRow>(
      'SELECT * FROM buzzer_requests WHERE device_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
    )
    this.open = db.prepare<[], BuzzerRow>(
      "SELECT * FROM buzzer_requests WHERE status IN ('queued','sent') ORDER BY created_at",
    )
  }

  /** Writes every state (inside the caller's transaction: the writer's 'buzzers.save'); later states win. */
  saveEach(states: readonly BuzzerRequest[]): void {
    for (const s of states) this.upsert.run(s)
  }

  get(id: string): BuzzerRequest | undefined {
    const r = this.byId.get(id)
    return r && toRequest(r)
  }

  /** Most recent first. */
  listForDevice(deviceId: string, limit: number): BuzzerRequest[] {
    return this.byDevice.all(deviceId, limit).map(toRequest)
  }

  /** Requests still waiting for their device (queued or sent), oldest first: loaded once at start. */
  listOpen(): BuzzerRequest[] {
    return this.open.all().map(toRequest)
  }
}

/**
 * The camera service (`app.cameras`): the one owner of the `cameras` table. It answers the views (admin,
 * everyone, the relay's), checks and commits every write (admins' create/update/delete, push tokens, the
 * relay's health), and after each commit publishes the fact on the domain event stream: `camera.changed`
 * for rows, `camera.health` for an online flip. Caches, the live channel and the relay follow from there;
 * nobody here calls them.
 */
import type { Db } from '../database/open'
import type { Writer } from '../database/writer'
import type { DomainEventStream } from '../events/domain-stream'
import type { QueueRegistry } from '../services'
import { GroupCommitQueue } from '../queues/group-commit-queue'
import { errors } from '../server/errors'
import type { Role } from '../../shared/constants'
import type { DomainEventMap } from '../../shared/events/domain-events'
import type {
  AdminCamera,
  Camera,
  CameraChangeBody,
  NewCameraBody,
  StreamEndpoints,
} from '../../shared/schemas/cameras'
import { mergeCredentials } from './camera-credentials'
import { checkCameraUrl, localTarget, sameAsStored, type CameraUrlCheck } from './camera-url'
import { CamerasRepository, type CameraSettings } from './repository'
import { resolveRecording } from './camera-recording'
import {
  adminView,
  cameraView,
  recordingView,
  relayView,
  streamEndpoints,
  viewFor,
  type RecordingCamera,
  type RelayCamera,
} from './views'

/** What goes out with a committed health flip: the relay's state when the write committed. */
export type CameraHealthStatus = Pick<DomainEventMap['camera.health'], 'state' | 'lastError' | 'nextRetryAt'>

/** A health change from the relay. */
export interface HealthReport {
  cameraId: number
  /** The new online state; null: only last_seen_at is refreshed (publishes nothing). */
  online: boolean | null
  lastSeenAt: number | null
  /** Asked once the write committed: the relay's state to publish with the flip. */
  status?: () => CameraHealthStatus | undefined
}

export interface CameraServiceDeps {
  /** The main connection: admins' writes are rare and answered after they commit. */
  db: Db
  /** Commits health batches (the writer thread, or inline). */
  writer: Pick<Writer, 'run'>
  queues: QueueRegistry
  events: Pick<DomainEventStream, 'publish'>
  areaExists: (id: number) => boolean
  /** The station's port and addresses: a camera URL naming it is refused unless allowed. */
  station: { port: number; isOwnHost: (host: string) => boolean }
  log: { warn: (obj: object, msg: string) => void }
}

const DEFAULTS: Omit<CameraSettings, 'name' | 'kind'> = {
  url: null,
  subUrl: null,
  transport: 'tcp',
  username: null,
  password: null,
  areaId: null,
  enabled: true,
  fps: 10,
  stayConnected: false,
  allowLocal: false,
  recording: resolveRecording(undefined, undefined),
}

export class CameraService {
  private readonly repo: CamerasRepository
  private readonly health: GroupCommitQueue<HealthReport>

  constructor(private readonly deps: CameraServiceDeps) {
    this.repo = new CamerasRepository(deps.db)
    this.health = deps.queues.add(
      new GroupCommitQueue<HealthReport>(
        'camera-health',
        { maxWaitMs: 100, batchSize: 500, maxPending: 10_000 },
        (items) => this.commitHealth(items),
        { onError: (err) => deps.log.warn({ err }, 'camera health write failed') },
      ),
    )
  }

  /** Every camera, by name, as a user with `role` may see it. */
  list(role: Role | undefined): Camera[] {
    return this.repo.all().map((r) => viewFor(role, r))
  }

  listEnabled(role: Role | undefined): Camera[] {
    return this.repo.enabled().map((r) => viewFor(role, r))
  }

  get(id: number, role: Role | undefined): Camera | undefined {
    const r = this.repo.get(id)
    return r && viewFor(role, r)
  }

  /** The station's own live endpoints of each enabled camera. */
  streams(): StreamEndpoints[] {
    return this.repo.enabled().map((r) => streamEndpoints(cameraView(r)))
  }

  /** The relay's view of one camera, credentials included: for the station's own connections only. */
  relay(id: number): RelayCamera | undefined {
    const r = this.repo.get(id)
    return r && relayView(r)
  }

  relayAll(): RelayCamera[] {
    return this.repo.all().map(relayView)
  }

  /** What the recorders need of one camera (undefined: it is gone). */
  recordingCamera(id: number): RecordingCamera | undefined {
    const r = this.repo.get(id)
    return r && recordingView(r)
  }

  recordingCameras(): RecordingCamera[] {
    return this.repo.all().map(recordingView)
  }

  /** The camera a push token belongs to. */
  cameraForToken(hash: string): number | undefined {
    return this.repo.idForToken(hash)
  }

  /** Adds a camera (400 with the reason when the body does not hold up). */
  create(body: NewCameraBody): AdminCamera {
    const settings = this.resolve(body, { ...DEFAULTS, name: body.name, kind: body.kind })
    const id = this.repo.insert(settings)
    return this.committed(id, 'created')
  }

  /** Changes the fields given (404 unknown, 400 with the reason). */
  update(id: number, body: CameraChangeBody): AdminCamera {
    const stored = this.repo.get(id)
    if (!stored) throw errors.notFound(`Camera ${id}`)
    if (!this.repo.update(id, this.resolve(body, stored))) throw errors.notFound(`Camera ${id}`)
    return this.committed(id, 'updated')
  }

  delete(id: number): void {
    if (!this.repo.delete(id)) throw errors.notFound(`Camera ${id}`)
    this.deps.events.publish({ type: 'camera.changed', cameraId: id, change: 'deleted' })
  }

  /** Stores (or clears, with null) a push token's hash; false when the camera does not exist. */
  setPushToken(id: number, hash: string | null): boolean {
    if (!this.repo.setTokenHash(id, hash)) return false
    this.deps.events.publish({ type: 'camera.changed', cameraId: id, change: 'token' })
    return true
  }

  /**
   * Writes a health change through the batched health queue; resolves once committed (an online flip
   * has been published as `camera.health` by then). Rejects when the write failed or the queue is full.
   */
  reportHealth(report: HealthReport): Promise<void> {
    return this.health.enqueue([report])
  }

  private committed(id: number, change: 'created' | 'updated'): AdminCamera {
    const stored = this.repo.get(id)
    if (!stored) throw errors.notFound(`Camera ${id}`)
    const camera = adminView(stored)
    this.deps.events.publish({ type: 'camera.changed', cameraId: id, change, camera })
    return camera
  }

  private async commitHealth(items: HealthReport[]): Promise<void> {
    const written = new Set(
      await this.deps.writer.run(
        'cameras.health',
        items.map((r) => ({ id: r.cameraId, online: r.online, lastSeenAt: r.lastSeenAt })),
      ),
    )
    for (const r of items) {
      if (r.online === null || !written.has(r.cameraId)) continue
      this.deps.events.publish({
        type: 'camera.health',
        cameraId: r.cameraId,
        online: r.online,
        ...r.status?.(),
      })
    }
  }

  /** Merges a create/update body over what is stored and checks it; throws 400 with the reason. */
  private resolve(input: CameraChangeBody, base: CameraSettings): CameraSettings {
    for (const field of ['isOnline', 'is_online'] as const) {
      if (input[field] !== undefined) {
        throw errors.badRequest(`${field} is managed by the station and cannot be written`)
      }
    }
    if (input.name !== undefined && !input.name.trim()) throw errors.badRequest('The name must not be blank')
    const kind = input.kind ?? base.kind
    // A camera turned into a push camera drops its old url unless the body says otherwise.
    const url =
      input.url !== undefined && !sameAsStored(input.url, base.url)
        ? input.url
        : kind === 'push' && input.kind !== undefined
          ? null
          : base.url
    const checked = checkCameraUrl(kind, url)
    if (!checked.ok) throw errors.badRequest(checked.problem)
    const rtsp = this.rtspStreams(kind, input, base)
    const allowLocal = input.allowLocal ?? base.allowLocal
    for (const [field, target] of [
      ['url', checked.url],
      ['subUrl', rtsp.sub.url],
    ] as const) {
      const local = target === null ? undefined : localTarget(target, this.deps.station)
      if (local && !allowLocal) {
        throw errors.badRequest(
          `The ${field} points at ${local}: set allowLocal (admins) if this camera really is there`,
        )
      }
    }
    // Push cameras have nothing to sign in to: a camera turned into one drops its stored credentials.
    const keep = !(kind === 'push' && base.kind !== 'push')
    const credentials = mergeCredentials({
      given: { username: input.username, password: input.password },
      url: checked,
      subUrl: rtsp.sub,
      stored: keep ? base : { username: null, password: null },
    })
    if (!credentials.ok) throw errors.badRequest(credentials.problem)
    const { username, password } = credentials
    const areaId = input.areaId !== undefined ? input.areaId : base.areaId
    if (areaId !== null && !this.deps.areaExists(areaId)) {
      throw errors.badRequest(`Area ${areaId} does not exist`)
    }
    return {
      name: input.name?.trim() || base.name,
      kind,
      url: checked.url,
      subUrl: rtsp.sub.url,
      transport: rtsp.transport,
      username,
      password,
      areaId,
      enabled: input.enabled ?? base.enabled,
      fps: input.fps ?? base.fps,
      stayConnected: input.stayConnected ?? base.stayConnected,
      allowLocal,
      recording: resolveRecording(input.recording, base.recording),
    }
  }

  /**
   * The sub stream and transport after a write: rtsp cameras only (sending either for another kind is
   * refused; a camera that stops being rtsp drops its sub stream). The redacted sub URL sent back keeps
   * the stored one, as for `url`; null or '' removes it.
   */
  private rtspStreams(
    kind: CameraSettings['kind'],
    input: CameraChangeBody,
    base: CameraSettings,
  ): { sub: Extract<CameraUrlCheck, { ok: true }>; transport: CameraSettings['transport'] } {
    if (kind !== 'rtsp') {
      if (input.subUrl?.trim()) {
        throw errors.badRequest(`subUrl is for rtsp cameras only: a ${kind} camera has a single stream`)
      }
      if (input.transport !== undefined) {
        throw errors.badRequest(`transport is for rtsp cameras only: this is a ${kind} camera`)
      }
      return { sub: { ok: true, url: null }, transport: 'tcp' }
    }
    const given = input.subUrl !== undefined && !sameAsStored(input.subUrl, base.subUrl)
    const raw = given ? input.subUrl : base.kind === 'rtsp' ? base.subUrl : null
    const sub: CameraUrlCheck = raw?.trim() ? checkCameraUrl('rtsp', raw, 'subUrl') : { ok: true, url: null }
    if (!sub.ok) throw errors.badRequest(sub.problem)
    return { sub, transport: input.transport ?? (base.kind === 'rtsp' ? base.transport : 'tcp') }
  }
}

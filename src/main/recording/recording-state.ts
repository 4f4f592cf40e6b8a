/** A camera's recording state, as `recording.state` publishes it and the figures report it. */
import type { DomainEventMap } from '../../shared/events/domain-events'

export type RecordingState = Pick<DomainEventMap['recording.state'], 'state' | 'lastError'>

/** Station events for guards: the list and acknowledgements (`/api/events`). */
import { Type, type Static } from '@sinclair/typebox'
import { EpochMs } from './common'
import { StationEvent } from './entities'

export const MAX_EVENTS_LIMIT = 1000

export const EventsQuery = Type.Object(
  {
    unacked: Type.Optional(
      Type.Union([Type.Boolean(), Type.Literal('1'), Type.Literal('0')], {
        description:
          'true (or 1): only events waiting for a guard (warnings and above nobody has acknowledged yet; ' +
          'info events never wait)',
      }),
    ),
    from: Type.Optional(EpochMs),
    to: Type.Optional(EpochMs),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_EVENTS_LIMIT, default: 100 })),
    token: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type EventsQuery = Static<typeof EventsQuery>

export const EventsPage = Type.Object({
  events: Type.Array(StationEvent, {
    description: 'Those waiting for a guard first, each group newest first',
  }),
  total: Type.Integer({ description: 'Every event matching the filter' }),
})
export type EventsPage = Static<typeof EventsPage>

/** `POST /api/events/:id/ack` body (optional: no body means no note). */
export const EventAckBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
)

export const EventAckResult = Type.Object({ event: StationEvent, alreadyAcknowledged: Type.Boolean() })
export type EventAckResult = Static<typeof EventAckResult>

export const MAX_BULK_ACK = 500

/** `POST /api/events/ack`: acknowledge many events at once, with one optional note. */
export const EventBulkAckBody = Type.Object(
  {
    ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: MAX_BULK_ACK, uniqueItems: true }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type EventBulkAckBody = Static<typeof EventBulkAckBody>

export const EventBulkAckResult = Type.Object({
  /** The events as they are now (unknown ids are left out). */
  events: Type.Array(StationEvent),
  /** How many this call acknowledged (the others already were). */
  acknowledged: Type.Integer(),
})
export type EventBulkAckResult = Static<typeof EventBulkAckResult>

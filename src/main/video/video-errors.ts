/** Coded errors of the video routes (same envelope as the station's catalogue in server/errors.ts). */
import { StationError } from '../server/errors'

export const videoErrors = {
  unknownCamera: (id: number) => new StationError(404, 'UNKNOWN_CAMERA', `Camera ${id} not found`),
  notPush: (id: number, kind: string) =>
    new StationError(
      409,
      'NOT_A_PUSH_CAMERA',
      `Camera ${id} is a ${kind} camera: the station pulls its video`,
    ),
  unavailable: (id: number, why: string) =>
    new StationError(409, 'CAMERA_UNAVAILABLE', `Camera ${id} cannot be viewed: ${why}`),
  noFrame: (id: number, state: string, why: string | null) =>
    new StationError(503, 'NO_FRAME', `Camera ${id} has no recent frame (${state}${why ? `: ${why}` : ''})`, {
      'retry-after': '2',
    }),
  snapshotsBusy: () =>
    new StationError(503, 'SNAPSHOTS_BUSY', 'Too many snapshots are being made: try again in a moment', {
      'retry-after': '1',
    }),
  badFrame: (why: string) => new StationError(400, 'BAD_FRAME', why),
  otherCamera: () => new StationError(403, 'FORBIDDEN', 'This camera token is for another camera'),
  deviceTokenForCamera: () =>
    new StationError(
      403,
      'FORBIDDEN',
      "A device token cannot feed a camera: use the site key or the camera's own push token",
    ),
} as const

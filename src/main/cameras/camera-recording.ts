/**
 * A camera's `recording` field on write: what the body gives over what is stored (fields left out keep
 * their value; a new camera starts from the defaults), checked where the schema cannot (max days under
 * min days).
 */
import { errors } from '../server/errors'
import type { CameraRecording } from '../../shared/schemas/cameras'
import { RECORDING_DEFAULTS, type RecordingSettings } from '../../shared/schemas/recordings'

const NONE: CameraRecording = {
  mode: 'off',
  preRollS: RECORDING_DEFAULTS.preRollS,
  postRollS: RECORDING_DEFAULTS.postRollS,
  minDays: null,
  maxDays: null,
  maxBytes: null,
}

export function resolveRecording(
  input: RecordingSettings | undefined,
  stored: CameraRecording | undefined,
): CameraRecording {
  const base = stored ?? NONE
  if (input === undefined) return { ...base }
  const r: CameraRecording = {
    mode: input.mode,
    preRollS: input.preRollS ?? base.preRollS,
    postRollS: input.postRollS ?? base.postRollS,
    minDays: input.minDays !== undefined ? input.minDays : base.minDays,
    maxDays: input.maxDays !== undefined ? input.maxDays : base.maxDays,
    maxBytes: input.maxBytes !== undefined ? input.maxBytes : base.maxBytes,
  }
  if (r.minDays !== null && r.maxDays !== null && r.maxDays < r.minDays) {
    throw errors.badRequest(
      `recording.maxDays (${r.maxDays}) is under recording.minDays (${r.minDays}): keep at most must be at least keep at least`,
    )
  }
  return r
}

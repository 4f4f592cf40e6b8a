/** The camera form's recording section: mode, pre/post roll (events), retention bounds. */
import { RECORDING_MODES } from '../../../../shared/schemas/recordings'
import { Field } from '../../components/ui'
import { RECORDING_HELP, type CameraDraft, type CameraErrors } from './camera-form'

export function RecordingFields({
  d,
  errors,
  set,
}: {
  d: CameraDraft
  errors: CameraErrors
  set: <K extends keyof CameraDraft>(k: K, v: CameraDraft[K]) => void
}) {
  const number = (
    k: 'preRollS' | 'postRollS' | 'minDays' | 'maxDays' | 'maxGiB',
    label: string,
    hint?: string,
  ) => (
    <Field label={label} error={errors[k]} hint={hint}>
      <input
        type="number"
        min={0}
        value={d[k]}
        onChange={(e) => set(k, e.target.value)}
        data-testid={`camera-rec-${k}`}
      />
    </Field>
  )
  return (
    <fieldset className="form-section" data-testid="camera-recording">
      <legend>Recording</legend>
      <Field label="Record" hint={RECORDING_HELP[d.recMode]}>
        <select
          value={d.recMode}
          onChange={(e) => set('recMode', e.target.value as CameraDraft['recMode'])}
          data-testid="camera-rec-mode"
        >
          {RECORDING_MODES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </Field>
      {d.recMode === 'events' ? (
        <>
          {number('preRollS', 'Seconds before an event', '0 to 60')}
          {number('postRollS', 'Seconds after an event', '0 to 600')}
        </>
      ) : null}
      {d.recMode !== 'off' ? (
        <>
          {number(
            'minDays',
            'Keep at least (days)',
            'Empty: no minimum. The global quota cannot cut below it',
          )}
          {number('maxDays', 'Keep at most (days)', 'Empty: no limit')}
          {number('maxGiB', 'Keep at most (GiB)', 'Empty: no per-camera cap')}
        </>
      ) : null}
    </fieldset>
  )
}

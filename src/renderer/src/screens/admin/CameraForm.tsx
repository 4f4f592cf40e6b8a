/** Create or edit a camera: kind-specific fields, write-only credentials, validation before sending. */
import { useState, type FormEvent } from 'react'
import { CAMERA_KINDS, RTSP_TRANSPORTS } from '../../../../shared/constants'
import type { Area, Camera } from '../../../../shared/schemas/entities'
import { Button, ErrorText, Field } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import {
  draftOf,
  emptyDraft,
  KIND_HELP,
  SUB_STREAM_HELP,
  toCameraInput,
  validateCamera,
  type CameraDraft,
  type CameraErrors,
} from './camera-form'
import { RecordingFields } from './RecordingFields'

export function CameraForm({
  camera,
  areas,
  onDone,
}: {
  camera: Camera | null
  areas: Area[]
  onDone: () => void
}) {
  const a = useStationShallow((s) => ({ create: s.createCamera, update: s.updateCamera }))
  const [d, setD] = useState<CameraDraft>(() => (camera ? draftOf(camera) : emptyDraft()))
  const [errors, setErrors] = useState<CameraErrors>({})
  const [serverError, setServerError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const set = <K extends keyof CameraDraft>(k: K, v: CameraDraft[K]) => setD((p) => ({ ...p, [k]: v }))
  const pull = d.kind !== 'push'

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const found = validateCamera(d)
    setErrors(found)
    if (Object.keys(found).length) return
    setBusy(true)
    const input = toCameraInput(d, camera !== null)
    const res = camera ? await a.update({ id: camera.id, ...input }) : await a.create(input)
    setBusy(false)
    if (res.ok) onDone()
    else setServerError(res.error)
  }

  return (
    <form
      className="form"
      onSubmit={submit}
      noValidate
      data-testid="camera-form"
      aria-label={camera ? `Edit ${camera.name}` : 'New camera'}
    >
      <Field label="Name" error={errors.name}>
        <input
          value={d.name}
          onChange={(e) => set('name', e.target.value)}
          autoFocus
          data-testid="camera-name"
        />
      </Field>
      <Field label="Kind" hint={KIND_HELP[d.kind]}>
        <select
          value={d.kind}
          onChange={(e) => set('kind', e.target.value as CameraDraft['kind'])}
          data-testid="camera-kind"
        >
          {CAMERA_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </Field>
      {pull ? (
        <>
          <Field label="URL" error={errors.url}>
            <input
              value={d.url}
              onChange={(e) => set('url', e.target.value)}
              placeholder={
                d.kind === 'rtsp' ? 'rtsp://192.168.1.20:554/stream' : 'http://192.168.1.20/video.mjpg'
              }
              data-testid="camera-url"
            />
          </Field>
          {d.kind === 'rtsp' ? (
            <>
              <Field label="Sub stream URL" error={errors.subUrl} hint={`Optional. ${SUB_STREAM_HELP}`}>
                <input
                  value={d.subUrl}
                  onChange={(e) => set('subUrl', e.target.value)}
                  placeholder="rtsp://192.168.1.20:554/substream"
                  data-testid="camera-sub-url"
                />
              </Field>
              <Field label="Transport" hint="TCP unless the camera only streams over UDP">
                <select
                  value={d.transport}
                  onChange={(e) => set('transport', e.target.value as CameraDraft['transport'])}
                  data-testid="camera-transport"
                >
                  {RTSP_TRANSPORTS.map((t) => (
                    <option key={t} value={t}>
                      {t.toUpperCase()}
                    </option>
                  ))}
                </select>
              </Field>
            </>
          ) : null}
          <Field
            label="Username"
            error={errors.username}
            hint={camera?.hasCredentials ? 'Credentials are stored: leave blank to keep them' : 'Optional'}
          >
            <input value={d.username} onChange={(e) => set('username', e.target.value)} autoComplete="off" />
          </Field>
          <Field label="Password" hint="Write-only: the station never shows it again">
            <input
              type="password"
              value={d.password}
              onChange={(e) => set('password', e.target.value)}
              autoComplete="new-password"
            />
          </Field>
          {camera?.hasCredentials ? (
            <label className="check">
              <input
                type="checkbox"
                checked={d.clearCredentials}
                onChange={(e) => set('clearCredentials', e.target.checked)}
              />
              Remove the stored credentials
            </label>
          ) : null}
          <label className="check">
            <input
              type="checkbox"
              checked={d.stayConnected}
              onChange={(e) => set('stayConnected', e.target.checked)}
            />
            Stay connected while nobody watches (health checks)
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={d.allowLocal}
              onChange={(e) => set('allowLocal', e.target.checked)}
            />
            The camera is on this computer (allow localhost or the station’s own address)
          </label>
        </>
      ) : null}
      <Field
        label="Frame rate (fps)"
        error={errors.fps}
        hint={d.kind === 'snapshot' ? 'How often the snapshot is polled' : undefined}
      >
        <input
          type="number"
          min={1}
          max={60}
          value={d.fps}
          onChange={(e) => set('fps', e.target.value)}
          data-testid="camera-fps"
        />
      </Field>
      <Field label="Area">
        <select value={d.areaId} onChange={(e) => set('areaId', e.target.value)}>
          <option value="">No area</option>
          {areas.map((ar) => (
            <option key={ar.id} value={ar.id}>
              {ar.name}
            </option>
          ))}
        </select>
      </Field>
      <label className="check">
        <input type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        Enabled
      </label>
      <RecordingFields d={d} errors={errors} set={set} />
      <ErrorText>{serverError}</ErrorText>
      <div className="dialog-actions">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" tone="primary" disabled={busy} data-testid="camera-save">
          {camera ? 'Save' : 'Add camera'}
        </Button>
      </div>
    </form>
  )
}

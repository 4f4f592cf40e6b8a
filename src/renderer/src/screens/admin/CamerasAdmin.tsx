/** Admin: the cameras, with add, edit, delete, and push tokens for push cameras. */
import { useState } from 'react'
import type { Camera } from '../../../../shared/schemas/entities'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Dialog } from '../../components/Dialog'
import { Button, EmptyState, ErrorText } from '../../components/ui'
import { useDeps, useStationShallow } from '../../store/context'
import { CameraStateBadge } from '../cameras/CameraStateBadge'
import { CameraForm } from './CameraForm'
import { MotionEditor } from './MotionEditor'

export function CamerasAdmin() {
  const s = useStationShallow((s) => ({
    cameras: s.cameras,
    areas: s.areas,
    remove: s.deleteCamera,
    streams: s.streams,
  }))
  const { transport } = useDeps()
  const [editing, setEditing] = useState<Camera | 'new' | null>(null)
  const [deleting, setDeleting] = useState<Camera | null>(null)
  const [motion, setMotion] = useState<Camera | null>(null)
  const [pushToken, setPushToken] = useState<{ camera: Camera; token: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const areaName = (id: number | null) => s.areas.find((a) => a.id === id)?.name ?? '–'

  return (
    <div className="admin-section" data-testid="admin-cameras">
      <div className="toolbar">
        <h2>Cameras</h2>
        <Button tone="primary" onClick={() => setEditing('new')} data-testid="camera-add">
          Add camera
        </Button>
      </div>
      <ErrorText>{error}</ErrorText>
      {s.cameras.length === 0 ? (
        <EmptyState title="No cameras yet">
          <p>
            Add the site's cameras: push cameras send frames to the station, pull cameras are fetched from
            their URL.
          </p>
        </EmptyState>
      ) : (
        <table className="table" data-testid="cameras-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Area</th>
              <th>State</th>
              <th>Credentials</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {s.cameras.map((c) => (
              <tr key={c.id} data-testid="camera-row" data-camera-name={c.name}>
                <td>{c.name}</td>
                <td>
                  {c.kind}
                  {c.fps !== undefined ? ` · ${c.fps} fps` : ''}
                </td>
                <td>{areaName(c.areaId)}</td>
                <td>
                  <CameraStateBadge camera={c} />
                </td>
                <td>{c.kind === 'push' ? '–' : c.hasCredentials ? 'stored' : 'none'}</td>
                <td className="row-actions">
                  <Button onClick={() => setEditing(c)} data-testid="camera-edit">
                    Edit
                  </Button>
                  <Button onClick={() => setMotion(c)} data-testid="camera-motion">
                    Motion
                  </Button>
                  {c.kind === 'push' ? (
                    <Button
                      onClick={async () => {
                        try {
                          const t = await transport.request('cameras:pushToken', { cameraId: c.id })
                          setPushToken({ camera: c, token: t.token })
                          setError(null)
                        } catch (err) {
                          setError(err instanceof Error ? err.message : String(err))
                        }
                      }}
                    >
                      Push token
                    </Button>
                  ) : null}
                  <Button tone="danger" onClick={() => setDeleting(c)} data-testid="camera-delete">
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <Dialog
          title={editing === 'new' ? 'New camera' : `Edit ${editing.name}`}
          onClose={() => setEditing(null)}
        >
          <CameraForm
            camera={editing === 'new' ? null : editing}
            areas={s.areas}
            onDone={() => setEditing(null)}
          />
        </Dialog>
      ) : null}
      {motion ? (
        <Dialog title={`Motion detection: ${motion.name}`} onClose={() => setMotion(null)}>
          <MotionEditor camera={motion} onDone={() => setMotion(null)} />
        </Dialog>
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete"
          tone="danger"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const res = await s.remove(deleting.id)
            return res.ok ? null : res.error
          }}
        >
          <p>Viewers lose its video at once. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
      {pushToken ? (
        <Dialog title={`Push token for ${pushToken.camera.name}`} onClose={() => setPushToken(null)}>
          <p>
            Shown once. The camera sends it as <code>Authorization: Bearer …</code> to:
          </p>
          <pre className="code">
            {`POST ${location.origin}${s.streams[pushToken.camera.id]?.ingest?.http ?? `/api/v1/stream/fast/${pushToken.camera.id}`}\n${pushToken.token}`}
          </pre>
          <div className="dialog-actions">
            <Button tone="primary" onClick={() => setPushToken(null)}>
              Done
            </Button>
          </div>
        </Dialog>
      ) : null}
    </div>
  )
}

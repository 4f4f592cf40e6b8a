/** The camera wall: 1, 4, 9 or 16 tiles with pages, drag to reorder, double-click or Enter for fullscreen. */
import { useMemo } from 'react'
import { Button, EmptyState, ErrorText, Loading } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { GRID_LAYOUTS, orderCameras, type GridLayout } from '../../store/settings-slice'
import { CameraTile } from './CameraTile'

/** What a grid tile asks for: fewer frames the smaller the tile (fullscreen gets the full rate). */
export const GRID_FPS: Record<GridLayout, number | undefined> = { 1: undefined, 4: 12, 9: 8, 16: 5 }

export function CamerasScreen() {
  const s = useStationShallow((s) => ({
    cameras: s.cameras,
    status: s.camerasStatus,
    error: s.camerasError,
    layout: s.settings.layout,
    order: s.settings.cameraOrder,
    page: s.settings.gridPage,
    fullscreen: s.settings.fullscreenCamera,
    admin: s.session.user?.role === 'admin',
    setLayout: s.setLayout,
    setGridPage: s.setGridPage,
    moveCamera: s.moveCamera,
    openFullscreen: s.openFullscreen,
    setView: s.setView,
  }))
  const visible = useMemo(
    () =>
      orderCameras(
        s.cameras.filter((c) => c.enabled),
        s.order,
      ),
    [s.cameras, s.order],
  )

  if (s.fullscreen !== null) {
    const cam = s.cameras.find((c) => c.id === s.fullscreen)
    if (cam) {
      return (
        <section className="fullscreen" data-testid="fullscreen-camera" aria-label={`${cam.name} fullscreen`}>
          <div className="toolbar">
            <Button onClick={() => s.openFullscreen(null)}>← Back to grid (Esc)</Button>
            <h1>{cam.name}</h1>
          </div>
          <CameraTile key={`full-${cam.id}`} camera={cam} fps={undefined} large />
        </section>
      )
    }
  }

  const pages = Math.max(1, Math.ceil(visible.length / s.layout))
  const page = Math.min(s.page, pages - 1)
  const shown = visible.slice(page * s.layout, page * s.layout + s.layout)
  const ids = visible.map((c) => c.id)

  return (
    <section className="cameras" aria-label="Cameras">
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Grid layout">
          {GRID_LAYOUTS.map((l, i) => (
            <button
              key={l}
              type="button"
              className={l === s.layout ? 'active' : ''}
              aria-pressed={l === s.layout}
              data-testid={`layout-${l}`}
              title={`${l} tile${l > 1 ? 's' : ''} (key ${i + 1})`}
              onClick={() => s.setLayout(l)}
            >
              {l}
            </button>
          ))}
        </div>
        {pages > 1 ? (
          <div className="pager">
            <Button disabled={page === 0} onClick={() => s.setGridPage(page - 1)}>
              ‹ Prev
            </Button>
            <span>
              Page {page + 1} of {pages}
            </span>
            <Button disabled={page >= pages - 1} onClick={() => s.setGridPage(page + 1)}>
              Next ›
            </Button>
          </div>
        ) : null}
        <span className="toolbar-hint">Double-click or Enter: fullscreen · drag a tile to reorder</span>
      </div>
      <ErrorText>{s.error}</ErrorText>
      {s.status === 'loading' ? (
        <Loading what="cameras" />
      ) : visible.length === 0 ? (
        <EmptyState title="No cameras yet" testId="cameras-empty">
          {s.admin ? (
            <>
              <p>
                Add one in Admin → Cameras. Push cameras (ESP32-CAM and the like) send JPEG frames to the
                station; MJPEG and snapshot cameras are pulled from their URL.
              </p>
              <Button tone="primary" onClick={() => s.setView('admin')}>
                Add a camera
              </Button>
            </>
          ) : (
            <p>
              Ask an administrator to add the site's cameras. They will appear here as soon as they are added.
            </p>
          )}
        </EmptyState>
      ) : (
        <div className={`grid grid-${s.layout}`} data-testid="camera-grid" data-layout={s.layout}>
          {shown.map((c) => (
            <CameraTile
              key={c.id}
              camera={c}
              fps={GRID_FPS[s.layout]}
              fullSize={s.layout === 1}
              onOpen={s.openFullscreen}
              draggable
              onDropCamera={(dragged, onto) => s.moveCamera(dragged, ids.indexOf(onto), ids)}
            />
          ))}
        </div>
      )}
    </section>
  )
}

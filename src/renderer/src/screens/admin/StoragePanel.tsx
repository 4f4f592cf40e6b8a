/** Admin → Storage: recorded bytes per camera (bars), oldest recording, days, write rate, quota and free space. */
import { useEffect } from 'react'
import type { StorageSummary } from '../../../../shared/contract'
import { Button, Notice } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { bytes, dateTime, percent } from '../../util/format'
import { cameraBars, scaleOf } from './storage-bars'

const REFRESH_MS = 30_000

export function StoragePanel() {
  const s = useStationShallow((st) => ({ storage: st.storage, error: st.storageError, load: st.loadStorage }))
  const { load } = s
  useEffect(() => {
    void load()
    const t = setInterval(() => void load(), REFRESH_MS)
    return () => clearInterval(t)
  }, [load])
  return (
    <div className="panel" data-testid="storage-panel">
      <h2>Recordings storage</h2>
      <Notice>{s.error}</Notice>
      {s.storage ? <StorageFigures storage={s.storage} /> : <p className="muted">No figures yet.</p>}
      <Button onClick={() => void load()} data-testid="storage-refresh">
        Refresh
      </Button>
    </div>
  )
}

function StorageFigures({ storage }: { storage: StorageSummary }) {
  const scale = scaleOf(storage)
  const bars = new Map(cameraBars(storage, bytes).map((b) => [b.cameraId, b]))
  const { volume } = storage
  return (
    <>
      <dl className="figures">
        <div>
          <dt>Recorded</dt>
          <dd data-testid="storage-total">{bytes(storage.totalBytes)}</dd>
        </div>
        <div>
          <dt>Protected</dt>
          <dd>{bytes(storage.protectedBytes)}</dd>
        </div>
        <div>
          <dt>Quota</dt>
          <dd data-testid="storage-quota">{storage.quotaBytes ? bytes(storage.quotaBytes) : 'none'}</dd>
        </div>
        <div>
          <dt>Free space</dt>
          <dd data-testid="storage-free">
            {bytes(volume.freeBytes)} of {bytes(volume.totalBytes)}
            {volume.totalBytes > 0 ? ` (${percent(volume.freeBytes / volume.totalBytes)})` : ''}
          </dd>
        </div>
        <div>
          <dt>Reserve kept free</dt>
          <dd>
            {storage.reservePercent} % ({bytes(volume.reserveBytes)})
          </dd>
        </div>
        <div>
          <dt>Last retention pass</dt>
          <dd>
            {storage.lastRetention
              ? `${dateTime(storage.lastRetention.at)}: ${storage.lastRetention.deletedSegments} segments, ${bytes(storage.lastRetention.deletedBytes)} deleted`
              : 'not yet'}
          </dd>
        </div>
      </dl>
      {storage.problems.map((p) => (
        <p key={p} className="error-text" role="alert">
          {p}
        </p>
      ))}
      <table className="table" data-testid="storage-cameras">
        <thead>
          <tr>
            <th>Camera</th>
            <th>Used ({scale.label})</th>
            <th>Oldest recording</th>
            <th>Days</th>
            <th>Writing</th>
            <th>Limits</th>
          </tr>
        </thead>
        <tbody>
          {storage.cameras.map((c) => {
            const bar = bars.get(c.cameraId)!
            return (
              <tr key={c.cameraId} data-testid={`storage-camera-${c.cameraId}`}>
                <td>{bar.label}</td>
                <td>
                  <div
                    className="storage-bar"
                    title={`${bytes(c.bytes)}, ${bytes(c.protectedBytes)} protected`}
                  >
                    <div className="storage-bar-used" style={{ width: `${bar.share * 100}%` }} />
                    <div
                      className="storage-bar-protected"
                      style={{ width: `${bar.protectedShare * 100}%` }}
                    />
                  </div>
                  {bytes(c.bytes)} · {c.segments} segments
                </td>
                <td>{c.oldest === null ? '—' : dateTime(c.oldest)}</td>
                <td>{c.daysCovered.toFixed(1)}</td>
                <td>
                  {c.state}
                  {c.writeBytesPerSec > 0 ? ` · ${bytes(Math.round(c.writeBytesPerSec))}/s` : ''}
                  {c.lastError ? ` · ${c.lastError}` : ''}
                </td>
                <td>{bar.caps}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </>
  )
}

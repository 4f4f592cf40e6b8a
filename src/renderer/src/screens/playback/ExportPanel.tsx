/**
 * Export: the range marked on the timeline (I and O, or the fields), one button per camera shown, and the
 * jobs with their progress, file name, SHA-256 and download. What a site manager hands to the police: a
 * standard MP4 named after the camera and the times, with them in its metadata.
 */
import { useEffect, useState } from 'react'
import type { ExportJob } from '../../../../shared/contract'
import { Button, ErrorText } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { hasUnfinishedExports } from '../../store/playback-slice'
import { bytes } from '../../util/format'
import { useTokenUrl } from './playback-source'

const pad = (n: number) => String(n).padStart(2, '0')
/** `datetime-local` value (local time, to the second). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}
const fromLocalInput = (v: string): number | null => (v ? new Date(v).getTime() : null)

export function ExportPanel({
  cameras,
  now,
}: {
  cameras: { id: number; name: string }[]
  now: () => number
}) {
  const s = useStationShallow((s) => ({
    range: s.exportRange,
    jobs: s.exportJobs,
    setRange: s.setExportRange,
    start: s.startExport,
    refresh: s.refreshExports,
    cancel: s.cancelExport,
  }))
  const [error, setError] = useState<string | null>(null)
  const tokenUrl = useTokenUrl()
  const busy = hasUnfinishedExports(s.jobs)
  const { refresh } = s
  useEffect(() => {
    if (!busy) return
    const t = setInterval(() => void refresh(), 500)
    return () => clearInterval(t)
  }, [busy, refresh])

  const { from, to } = s.range
  const valid = from !== null && to !== null && to > from
  const download = async (job: ExportJob) => {
    if (!job.downloadUrl) return
    const a = document.createElement('a')
    a.href = await tokenUrl(job.downloadUrl)
    a.download = job.fileName
    document.body.append(a)
    a.click()
    a.remove()
  }

  return (
    <section className="panel pb-export" aria-label="Export" data-testid="export-panel">
      <h2>Export</h2>
      <div className="toolbar">
        <label className="field-inline">
          From
          <input
            type="datetime-local"
            step={1}
            data-testid="export-from"
            value={from === null ? '' : toLocalInput(from)}
            onChange={(e) => s.setRange({ from: fromLocalInput(e.target.value) })}
          />
        </label>
        <Button onClick={() => s.setRange({ from: now() })} title="Start the export at the playhead (I)">
          Start here (I)
        </Button>
        <label className="field-inline">
          To
          <input
            type="datetime-local"
            step={1}
            data-testid="export-to"
            value={to === null ? '' : toLocalInput(to)}
            onChange={(e) => s.setRange({ to: fromLocalInput(e.target.value) })}
          />
        </label>
        <Button onClick={() => s.setRange({ to: now() })} title="End the export at the playhead (O)">
          End here (O)
        </Button>
        {cameras.map((c) => (
          <Button
            key={c.id}
            tone="primary"
            disabled={!valid}
            data-testid={`export-start-${c.id}`}
            onClick={async () => {
              if (!valid) return
              const res = await s.start(c.id, from, to)
              setError(res.ok ? null : res.error)
            }}
          >
            Export {c.name}
          </Button>
        ))}
      </div>
      {error ? <ErrorText>{error}</ErrorText> : null}
      <ul className="pb-jobs">
        {s.jobs.map((j) => (
          <li key={j.id} data-testid="export-job" data-state={j.state}>
            <span className="pb-job-name">{j.fileName}</span>
            <progress max={1} value={j.progress} aria-label={`Export of ${j.cameraName}`} />
            <span className="muted">
              {j.state === 'queued'
                ? `waiting (${j.queuePosition} in line)`
                : j.state === 'running'
                  ? `${Math.round(j.progress * 100)} %`
                  : j.state === 'done'
                    ? `${bytes(j.bytes ?? 0)} · ${Math.round(j.recordedMs / 1000)} s recorded`
                    : (j.error ?? j.state)}
            </span>
            {j.sha256 ? (
              <code className="pb-sha" title="SHA-256 of the file: note it with the hand-over">
                SHA-256 {j.sha256}
              </code>
            ) : null}
            {j.state === 'done' ? (
              <Button tone="primary" data-testid="export-download" onClick={() => void download(j)}>
                Download
              </Button>
            ) : null}
            <Button tone="ghost" onClick={() => void s.cancel(j.id)}>
              {j.state === 'done' || j.state === 'failed' ? 'Remove' : 'Cancel'}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  )
}

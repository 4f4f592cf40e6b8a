/** The response cache (seed 1): figures, invalidate by pattern, clear everything. */
import { useState } from 'react'
import type { CacheStats } from '../../../../shared/contract'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Button, Field, Notice } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { percent } from '../../util/format'

export function CachePanel({ stats }: { stats: CacheStats | null }) {
  const a = useStationShallow((s) => ({ invalidate: s.invalidateCache, clear: s.clearCache }))
  const [pattern, setPattern] = useState('/api/cameras')
  const [problem, setProblem] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [confirmClear, setConfirmClear] = useState(false)

  return (
    <div className="panel" data-testid="cache-panel">
      <h2>Response cache</h2>
      {stats ? (
        <dl className="figures">
          <div>
            <dt>Hits</dt>
            <dd data-testid="cache-hits">{stats.hits}</dd>
          </div>
          <div>
            <dt>Misses</dt>
            <dd data-testid="cache-misses">{stats.misses}</dd>
          </div>
          <div>
            <dt>Hit rate</dt>
            <dd data-testid="cache-hit-rate">{percent(stats.hitRate)}</dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd>
              {stats.size} / {stats.maxSize}
            </dd>
          </div>
          <div>
            <dt>Evictions</dt>
            <dd>{stats.evictions}</dd>
          </div>
          <div>
            <dt>Invalidations</dt>
            <dd>{stats.invalidations}</dd>
          </div>
          <div>
            <dt>Default TTL</dt>
            <dd>{Math.round(stats.defaultTtlMs / 1000)} s</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">No figures yet.</p>
      )}
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault()
          const p = pattern.trim()
          if (!p.startsWith('/'))
            return setProblem('A pattern is a path prefix starting with /, e.g. /api/cameras')
          setProblem(null)
          const res = await a.invalidate(p)
          if (res.ok) setDone(res.value.message)
          else setProblem(res.error)
        }}
      >
        <Field label="Invalidate entries under" error={problem}>
          <input value={pattern} onChange={(e) => setPattern(e.target.value)} data-testid="cache-pattern" />
        </Field>
        <Button type="submit" data-testid="cache-invalidate">
          Invalidate
        </Button>
        <Button tone="danger" onClick={() => setConfirmClear(true)} data-testid="cache-clear">
          Clear all
        </Button>
      </form>
      <Notice>{done}</Notice>
      {stats?.domain.length ? (
        <table className="table">
          <caption>Domain caches</caption>
          <thead>
            <tr>
              <th>Cache</th>
              <th>Size</th>
              <th>Hits</th>
              <th>Misses</th>
              <th>Hit rate</th>
              <th>TTL</th>
            </tr>
          </thead>
          <tbody>
            {stats.domain.map((d) => (
              <tr key={d.name}>
                <td>{d.name}</td>
                <td>
                  {d.size} / {d.max}
                </td>
                <td>{d.hits}</td>
                <td>{d.misses}</td>
                <td>{percent(d.hitRate)}</td>
                <td>{Math.round(d.ttlMs / 1000)} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {confirmClear ? (
        <ConfirmDialog
          title="Clear the response cache?"
          confirmLabel="Clear"
          tone="danger"
          onClose={() => setConfirmClear(false)}
          onConfirm={async () => {
            const res = await a.clear()
            if (res.ok) setDone(res.value.message)
            return res.ok ? null : res.error
          }}
        >
          <p>Every cached answer goes; the next requests are served from the database.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  )
}

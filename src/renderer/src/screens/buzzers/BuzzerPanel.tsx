/**
 * One device's buzzer: sound (after confirming) or silence, with pattern and duration; the recent
 * commands and their lifecycle update live. Disabled, with the reason, while the device is offline.
 */
import { useEffect, useState } from 'react'
import type { BuzzerTrigger } from '../../../../shared/contract'
import { BUZZER_PATTERNS, type BuzzerStatus } from '../../../../shared/constants'
import type { BuzzerRequest, Device } from '../../../../shared/schemas/entities'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Badge, Button, ErrorText } from '../../components/ui'
import { useStation, useStationShallow } from '../../store/context'
import { ago, clockTime } from '../../util/format'
import { DeviceStateBadge } from '../../components/StateBadge'

const STATUS_TONE: Record<BuzzerStatus, 'ok' | 'bad' | 'warn' | 'muted'> = {
  queued: 'muted',
  sent: 'warn',
  acknowledged: 'ok',
  expired: 'bad',
  failed: 'bad',
}
const EMPTY: BuzzerRequest[] = []

export function BuzzerPanel({ device, now }: { device: Device; now: number }) {
  const requests = useStation((s) => s.buzzerRequests[device.id] ?? EMPTY)
  const a = useStationShallow((s) => ({ trigger: s.triggerBuzzer, load: s.loadBuzzerRequests }))
  const [pattern, setPattern] = useState<NonNullable<BuzzerTrigger['pattern']>>('continuous')
  const [seconds, setSeconds] = useState('5')
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const load = a.load

  useEffect(() => {
    void load(device.id)
  }, [device.id, load])

  const duration = Number(seconds)
  const durationProblem =
    !Number.isFinite(duration) || duration < 1 || duration > 600 ? 'Duration: 1 to 600 seconds.' : null
  const offlineReason = device.online
    ? null
    : `Offline since ${ago(device.lastSeenAt, now)}: a command could only expire.`

  const send = async (args: BuzzerTrigger): Promise<string | null> => {
    const res = await a.trigger(args)
    if (res.ok) {
      setError(null)
      return null
    }
    return res.error
  }

  return (
    <article className="buzzer-panel" data-testid="buzzer-panel" data-device-id={device.id}>
      <header>
        <h2>{device.name}</h2>
        <DeviceStateBadge online={device.online} />
      </header>
      <div className="buzzer-controls">
        <label>
          Pattern
          <select
            value={pattern}
            onChange={(e) => setPattern(e.target.value as typeof pattern)}
            disabled={!!offlineReason}
          >
            {BUZZER_PATTERNS.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Seconds
          <input
            type="number"
            min={1}
            max={600}
            value={seconds}
            onChange={(e) => setSeconds(e.target.value)}
            disabled={!!offlineReason}
            aria-invalid={!!durationProblem}
          />
        </label>
        <Button
          tone="danger"
          disabled={!!offlineReason || !!durationProblem}
          title={offlineReason ?? undefined}
          data-testid="buzzer-on"
          onClick={() => setConfirming(true)}
        >
          Sound
        </Button>
        <Button
          disabled={!!offlineReason}
          title={offlineReason ?? undefined}
          data-testid="buzzer-off"
          onClick={async () => setError(await send({ deviceId: device.id, action: 'off' }))}
        >
          Silence
        </Button>
      </div>
      {device.capabilities === null ? (
        <p className="muted" data-testid="buzzer-capability-unknown">
          This device has not said whether it has a buzzer (older firmware). A command may do nothing.
        </p>
      ) : null}
      {offlineReason ? (
        <p className="muted" data-testid="buzzer-disabled-reason">
          {offlineReason}
        </p>
      ) : null}
      <ErrorText>{error ?? (durationProblem && !offlineReason ? durationProblem : null)}</ErrorText>
      <ol className="buzzer-requests" aria-label="Recent commands">
        {requests.slice(0, 5).map((r) => (
          <li key={r.id} data-testid="buzzer-request" data-status={r.status}>
            <span>{clockTime(r.createdAt)}</span>
            <span>
              {r.action === 'on'
                ? `on · ${r.pattern ?? 'continuous'} · ${Math.round((r.durationMs ?? 0) / 1000)} s`
                : 'off'}
            </span>
            <Badge tone={STATUS_TONE[r.status as BuzzerStatus] ?? 'muted'}>{r.status}</Badge>
            {r.error ? <span className="muted">{r.error}</span> : null}
            {r.requestedBy ? <span className="muted">by {r.requestedBy}</span> : null}
          </li>
        ))}
      </ol>
      {confirming ? (
        <ConfirmDialog
          title={`Sound the buzzer on ${device.name}?`}
          confirmLabel="Sound it"
          tone="danger"
          onClose={() => setConfirming(false)}
          onConfirm={() =>
            send({ deviceId: device.id, action: 'on', pattern, durationMs: Math.round(duration * 1000) })
          }
        >
          <p>
            Pattern {pattern} for {duration} s. People near the device will hear it.
          </p>
        </ConfirmDialog>
      ) : null}
    </article>
  )
}

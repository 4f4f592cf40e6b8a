/**
 * A simulated buzzer/siren: executes `on`/`off` commands (an `on` with a duration switches itself off),
 * and remembers which commands it already ran, so a command delivered twice (pushed, then listed again
 * as pending before the acknowledgement landed) sounds once and is acknowledged again harmlessly.
 */
import type { BuzzerCommand } from '../../shared/schemas/device-protocol'

const REMEMBERED = 256

export class SimulatedBuzzer {
  private on = false
  private offTimer: NodeJS.Timeout | undefined
  private readonly seen = new Set<string>()

  constructor(private readonly onChange?: (on: boolean, cmd: BuzzerCommand) => void) {}

  get isOn(): boolean {
    return this.on
  }

  /** Runs a command; returns false when this request was already executed. */
  execute(cmd: BuzzerCommand): boolean {
    if (this.seen.has(cmd.requestId)) return false
    this.seen.add(cmd.requestId)
    if (this.seen.size > REMEMBERED) {
      const oldest = this.seen.values().next().value
      if (oldest !== undefined) this.seen.delete(oldest)
    }
    if (this.offTimer) clearTimeout(this.offTimer)
    this.offTimer = undefined
    this.on = cmd.action === 'on'
    if (this.on && cmd.durationMs !== undefined && cmd.durationMs > 0) {
      this.offTimer = setTimeout(() => {
        this.on = false
        this.offTimer = undefined
      }, cmd.durationMs)
      this.offTimer.unref()
    }
    this.onChange?.(this.on, cmd)
    return true
  }

  stop(): void {
    if (this.offTimer) clearTimeout(this.offTimer)
    this.offTimer = undefined
    this.on = false
  }
}

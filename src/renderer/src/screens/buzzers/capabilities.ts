/** Which devices get buzzer controls. */
import type { Device } from '../../../../shared/schemas/entities'

/** A device that said it has a buzzer, or never said what it can do (older firmware: tried, as before). */
export function mayHaveBuzzer(d: Pick<Device, 'capabilities'>): boolean {
  return d.capabilities === null || d.capabilities.includes('buzzer')
}

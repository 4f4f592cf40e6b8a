/** Reports: the areas' arming (arm and disarm here) and the shift report for the next shift. */
import { ArmingPanel } from '../areas/ArmingPanel'
import { HandoverPanel } from './HandoverPanel'

export function ReportsScreen() {
  return (
    <div className="reports-screen" style={{ display: 'grid', gap: 16, alignContent: 'start' }}>
      <ArmingPanel />
      <HandoverPanel />
    </div>
  )
}

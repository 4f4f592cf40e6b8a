/** Shared pieces of the transport contract tests: a test station with a guard account, as a harness. */
import type { LiveMessage } from '../../shared/contract'
import type { ContractHarness } from '../../renderer/src/transport/contract-suite'
import type { Transport } from '../../renderer/src/transport/types'
import { createTestStation, TEST_ADMIN_PASSWORD, type TestStation } from '../server/test-helper'

export const GUARD = { username: 'guard1', password: 'guard-password-1' }

export async function stationHarness(
  makeTransport: (station: TestStation) => Promise<() => Transport>,
): Promise<ContractHarness> {
  const station = await createTestStation()
  await station.guardToken()
  const transport = await makeTransport(station)
  return {
    transport,
    adminPassword: TEST_ADMIN_PASSWORD,
    guard: GUARD,
    publish: (msg: LiveMessage, opts) => station.app.live.publish(msg, opts),
    recordEvent: (message) =>
      station.app.events.record({
        type: 'camera.offline',
        severity: 'warning',
        sourceKind: 'camera',
        sourceId: '1',
        message,
      }),
    close: () => station.close(),
  }
}

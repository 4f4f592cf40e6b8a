/**
 * Buzzer controls only for devices with a buzzer (issue 14.6): a simulated sensor-only device (its
 * heartbeats report `capabilities: []`) gets none, a buzzer device (`["buzzer"]`) does.
 */
import { startSimulator, type Simulator } from '../src/main/simulator/simulator'
import { E2E_DEVICE_KEY, E2E_URL } from './env'
import { adminToken, api, expect, shot, signIn, test } from './fixtures'

let sim: Simulator

test.beforeAll(async () => {
  sim = startSimulator({
    url: E2E_URL,
    key: E2E_DEVICE_KEY,
    mode: 'ws',
    devices: 2,
    sensorOnly: 1,
    rate: 1,
    sensors: 1,
    prefix: 'e2e-cap-',
    heartbeatMs: 500,
  })
  await sim.ready(15_000)
})
test.afterAll(async () => {
  await sim?.stop()
})

test('a sensor-only device has no buzzer controls; a buzzer device has them', async ({ page }, info) => {
  const [siren, sensor] = sim.deviceIds as [string, string]
  const token = await adminToken()
  // Both have reported what they can do (their first heartbeats are stored).
  const capabilities = async (id: string) =>
    (await api<{ capabilities: string[] | null }>('GET', `/api/v1/devices/${id}`, token)).data?.capabilities
  await expect.poll(() => capabilities(siren), { timeout: 15_000 }).toEqual(['buzzer'])
  await expect.poll(() => capabilities(sensor), { timeout: 15_000 }).toEqual([])

  await signIn(page)
  await page.getByTestId('nav-buzzers').click()
  const panel = (id: string) => page.locator(`[data-testid="buzzer-panel"][data-device-id="${id}"]`)
  await expect(panel(siren)).toBeVisible()
  await expect(panel(siren).getByTestId('buzzer-on')).toBeVisible()
  await expect(panel(sensor)).toHaveCount(0)
  await expect(page.getByTestId('buzzers-without')).toContainText('no buzzer')
  await shot(page, info, 'buzzers-capabilities')

  await page.getByTestId('nav-sensors').click()
  const item = (id: string) => page.locator(`[data-testid="device-item"][data-device-id="${id}"]`)
  await expect(item(siren)).toContainText('Buzzer')
  await expect(item(sensor)).toBeVisible()
  await expect(item(sensor)).not.toContainText('Buzzer')
})

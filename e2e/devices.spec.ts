/** Sensors and buzzers against simulated devices: live values and charts, a buzzer acknowledged by its device. */
import { startSimulator, type Simulator } from '../src/main/simulator/simulator'
import { E2E_DEVICE_KEY, E2E_URL } from './env'
import { canvasDigest, expect, shot, signIn, test } from './fixtures'

let sim: Simulator
const CHART = '[data-testid="uplot-chart"] canvas'

test.beforeAll(async () => {
  sim = startSimulator({
    url: E2E_URL,
    key: E2E_DEVICE_KEY,
    mode: 'ws',
    devices: 2,
    rate: 5,
    sensors: 2,
    prefix: 'e2e-dev-',
    heartbeatMs: 1000,
  })
  await sim.ready(15_000)
})
test.afterAll(async () => {
  await sim?.stop()
})

test('sensors: latest values and a live chart per sensor', async ({ page }, info) => {
  await signIn(page)
  await page.getByTestId('nav-sensors').click()
  const id = sim.deviceIds[0]!
  await page.locator(`[data-testid="device-item"][data-device-id="${id}"]`).click()
  const latest = page.getByTestId('latest-values')
  await expect(latest.locator('.latest-value')).toHaveCount(2)
  const value = latest.locator('.latest-number').first()
  const first = await value.textContent()
  await expect.poll(() => value.textContent(), { timeout: 15_000 }).not.toBe(first)
  await page.getByTestId('range-5m').click()
  await expect(page.getByTestId('sensor-chart')).toHaveCount(2)
  await expect(page.getByTestId('sensor-chart').first()).toContainText(/readings in range/)
  // Live points go straight into the chart: its pixels keep changing.
  const before = await canvasDigest(page, CHART)
  await expect.poll(() => canvasDigest(page, CHART), { timeout: 15_000 }).not.toBe(before)
  await shot(page, info, 'sensors')
  await page.getByTestId('range-custom').click()
  await expect(page.locator('.range-custom')).toBeVisible()
})

test('buzzer: sound after confirming, acknowledged by the device, live', async ({ page }, info) => {
  await signIn(page)
  await page.getByTestId('nav-buzzers').click()
  const id = sim.deviceIds[1]!
  const panel = page.locator(`[data-testid="buzzer-panel"][data-device-id="${id}"]`)
  await expect(panel).toBeVisible()
  await panel.getByTestId('buzzer-on').click()
  const confirm = page.getByTestId('confirm-dialog')
  await expect(confirm).toContainText('Sound the buzzer')
  await shot(page, info, 'buzzer-confirm')
  await confirm.getByRole('button', { name: 'Sound it' }).click()
  const request = panel.getByTestId('buzzer-request').first()
  await expect(request).toHaveAttribute('data-status', 'acknowledged', { timeout: 15_000 })
  await shot(page, info, 'buzzers')
  await panel.getByTestId('buzzer-off').click()
  await expect(panel.getByTestId('buzzer-request').first()).toContainText('off')
  await expect(panel.getByTestId('buzzer-request').first()).toHaveAttribute('data-status', 'acknowledged', {
    timeout: 15_000,
  })
})

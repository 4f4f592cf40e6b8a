/** Events arrive live (a device goes quiet), count in the badge, and are acknowledged with a note. */
import { startSimulator, type Simulator } from '../src/main/simulator/simulator'
import { E2E_DEVICE_KEY, E2E_URL } from './env'
import { expect, shot, signIn, test } from './fixtures'

let sim: Simulator | undefined

test.afterAll(async () => {
  await sim?.stop()
})

test('a device going offline raises an event that the guard acknowledges with a note', async ({
  page,
}, info) => {
  await signIn(page)
  await page.getByTestId('nav-events').click()
  const badge = page.getByTestId('events-badge')
  const before = Number((await badge.count()) ? await badge.textContent() : 0)

  sim = startSimulator({
    url: E2E_URL,
    key: E2E_DEVICE_KEY,
    devices: 1,
    rate: 2,
    prefix: 'ev-quiet-',
    heartbeatMs: 1000,
  })
  await sim.ready()
  const id = sim.deviceIds[0]!
  // Heard from: online. Then silent: offline after STATION_DEVICE_OFFLINE_MS, and the event comes live.
  const row = page.getByTestId('event-row').filter({ hasText: id }).filter({ hasText: 'device.offline' })
  await expect(page.getByTestId('event-row').filter({ hasText: id }).first()).toBeVisible({ timeout: 20_000 })
  await sim.stop()
  sim = undefined
  await expect(row.first()).toBeVisible({ timeout: 20_000 })
  await expect(badge).toHaveText(/\d+/)
  expect(Number(await badge.textContent())).toBeGreaterThan(before)
  // Unacknowledged first.
  await expect(page.getByTestId('event-row').first()).toHaveAttribute('data-acked', 'false')
  await shot(page, info, 'events')

  const eventId = await row.first().getAttribute('data-event-id')
  const countBefore = Number(await badge.textContent())
  await row.first().getByTestId('ack-button').click()
  await page.getByTestId('ack-note').fill('Checked: device unplugged for maintenance')
  await shot(page, info, 'ack-dialog')
  await page.getByTestId('ack-submit').click()
  const acked = page.locator(`[data-event-id="${eventId}"]`)
  await expect(acked).toHaveAttribute('data-acked', 'true')
  await expect(acked.getByTestId('event-ack-info')).toContainText('Acknowledged by admin')
  await expect(acked.getByTestId('event-ack-info')).toContainText('device unplugged for maintenance')
  if (countBefore > 1) await expect(badge).toHaveText(String(countBefore - 1))
  else await expect(badge).toHaveCount(0)
})

test('A opens the acknowledgement of the newest unacknowledged event', async ({ page }) => {
  await signIn(page)
  const quiet = startSimulator({
    url: E2E_URL,
    key: E2E_DEVICE_KEY,
    devices: 1,
    rate: 2,
    prefix: 'ev-key-',
    heartbeatMs: 1000,
  })
  await quiet.ready()
  const id = quiet.deviceIds[0]!
  await page.getByTestId('nav-events').click()
  await expect(page.getByTestId('event-row').filter({ hasText: id }).first()).toBeVisible({ timeout: 20_000 })
  await quiet.stop()
  await expect(
    page.getByTestId('event-row').filter({ hasText: id }).filter({ hasText: 'device.offline' }),
  ).toBeVisible({ timeout: 20_000 })
  await page.getByTestId('nav-cameras').click()
  await page.keyboard.press('a')
  await expect(page.getByTestId('ack-dialog')).toBeVisible()
  await expect(page.getByTestId('screen-events')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('ack-dialog')).toHaveCount(0)
})

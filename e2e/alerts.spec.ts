/**
 * Alerts for new events: a tone and, while the guard looks elsewhere, a desktop notification (with the
 * permission granted). Muting stops both and survives a reload.
 */
import type { Page } from '@playwright/test'
import { startSimulator } from '../src/main/simulator/simulator'
import { alertSpy as spy, installAlertSpy, notificationPermission } from './alert-spy'
import { E2E_DEVICE_KEY, E2E_URL } from './env'
import { expect, shot, signIn, test } from './fixtures'

/** A device heard from, then silent: it goes offline, and the station raises events for it. */
async function deviceGoesQuiet(page: Page, prefix: string): Promise<string> {
  const sim = startSimulator({
    url: E2E_URL,
    key: E2E_DEVICE_KEY,
    devices: 1,
    rate: 2,
    prefix,
    heartbeatMs: 1000,
  })
  await sim.ready()
  const id = sim.deviceIds[0]!
  // Heard from (its first event shows), then silent.
  await expect(page.getByTestId('event-row').filter({ hasText: id }).first()).toBeVisible({ timeout: 20_000 })
  await sim.stop()
  await expect(
    page.getByTestId('event-row').filter({ hasText: id }).filter({ hasText: 'device.offline' }),
  ).toBeVisible({ timeout: 20_000 })
  return id
}

test.beforeEach(({ context, page }) => installAlertSpy(context, page))

test('a new event sounds and shows a desktop notification; muting stops both and persists', async ({
  page,
}, info) => {
  test.setTimeout(120_000)
  await signIn(page)
  await page.getByTestId('nav-events').click()
  expect(await notificationPermission(page)).toBe('granted')
  await expect(page.getByTestId('alerts-sound')).toBeChecked()
  await expect(page.getByTestId('alerts-desktop')).toBeChecked()

  const first = await deviceGoesQuiet(page, 'alert-on-')
  await expect
    .poll(async () => (await spy(page)).notes.filter((n) => n.body.includes(first)).length)
    .toBeGreaterThan(0)
  expect((await spy(page)).tones).toBeGreaterThan(0)
  expect((await spy(page)).notes[0]?.title).toMatch(/^Guard Station: device/)

  // Desktop notifications off: the tone stays.
  await page.getByTestId('alerts-desktop').uncheck()
  const { tones } = await spy(page)
  const second = await deviceGoesQuiet(page, 'alert-nodesk-')
  await expect.poll(async () => (await spy(page)).tones).toBeGreaterThan(tones)
  expect((await spy(page)).notes.filter((n) => n.body.includes(second))).toEqual([])

  // Muted from the navigation: survives a reload, and nothing sounds or shows.
  await page.getByTestId('alerts-desktop').check()
  await page.getByTestId('mute-toggle').click()
  await expect(page.getByTestId('mute-toggle')).toHaveText('Alerts muted')
  await page.reload()
  await expect(page.getByTestId('mute-toggle')).toHaveText('Alerts muted')
  await expect(page.getByTestId('mute-toggle')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('alerts-sound')).not.toBeChecked()
  await expect(page.getByTestId('alerts-desktop')).toBeDisabled()
  await shot(page, info, 'alerts-muted')
  const third = await deviceGoesQuiet(page, 'alert-muted-')
  const after = await spy(page)
  expect(after.tones).toBe(0)
  expect(after.notes.filter((n) => n.body.includes(third))).toEqual([])
})

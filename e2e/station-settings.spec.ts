/** An admin edits the station's own settings and is told a restart is needed; a guard cannot reach them. */
import type { StationSettings } from '../src/shared/contract'
import { E2E_GUARD } from './env'
import { adminToken, api, ensureGuard, expect, sessionToken, shot, signIn, test } from './fixtures'

const KEY = 'cacheTtlMs'

async function stationSettings(): Promise<StationSettings> {
  const res = await api<StationSettings>('GET', '/api/settings/station', await adminToken())
  if (res.status !== 200) throw new Error(`settings read failed: ${res.status}`)
  return res.data
}

test.afterAll(async () => {
  // Leave the shared station as it was, whatever happened above.
  await api('PUT', '/api/settings/station', await adminToken(), { [KEY]: null })
})

test('an admin saves a setting and sees that the station needs a restart to apply it', async ({
  page,
}, info) => {
  const before = (await stationSettings()).settings.find((s) => s.key === KEY)!
  expect(before).toMatchObject({ editable: true, saved: null })
  const next = Number(before.value) + 15_000
  const puts: string[] = []
  page.on('request', (r) => {
    if (r.method() === 'PUT' && r.url().endsWith('/api/settings/station')) puts.push(r.postData() ?? '')
  })

  await signIn(page)
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('admin-tab-station').click()
  const panel = page.getByTestId('admin-station')
  // What the environment of this station fixes is shown as such, and cannot be edited here.
  const port = panel.locator('[data-setting="port"]')
  await expect(port.getByTestId('setting-state')).toHaveText('Fixed by STATION_PORT')
  await expect(port.locator('input')).toHaveCount(0)
  await expect(panel.getByTestId('device-key-source')).toContainText('STATION_DEVICE_KEY')
  await expect(panel.getByTestId('device-key-set')).toBeDisabled()

  const row = panel.locator(`[data-setting="${KEY}"]`)
  await expect(row.getByTestId('setting-state')).toHaveText('In effect')
  const input = row.getByTestId(`setting-input-${KEY}`)
  // Checked before sending: out of range, nothing goes to the station.
  await input.fill('10')
  await panel.getByTestId('settings-save').click()
  await expect(row.getByRole('alert')).toHaveText(/A whole number from 1000 to 86400000/)
  expect(puts).toEqual([])

  await input.fill(String(next))
  await panel.getByTestId('settings-save').click()
  await expect(row.getByTestId('setting-state')).toHaveText('Restart needed')
  await expect(row.getByTestId('setting-now')).toHaveText(String(before.value))
  await expect(row.getByTestId('setting-saved')).toContainText(String(next))
  await expect(panel.getByTestId('restart-banner')).toContainText('Restart needed')
  await expect(panel.getByTestId('restart-banner')).toContainText('Response cache TTL')
  await expect(panel.getByRole('status').filter({ hasText: 'Saved:' })).toContainText(
    'Restart the station to apply',
  )
  expect(puts.map((p) => JSON.parse(p))).toEqual([{ [KEY]: next }])
  await shot(page, info, 'station-settings')

  // The station keeps it: a reload still says so.
  await page.reload()
  await page.getByTestId('admin-tab-station').click()
  await expect(row.getByTestId('setting-state')).toHaveText('Restart needed')

  // Back to the running value: no restart needed any more.
  await input.fill(String(before.value))
  await panel.getByTestId('settings-save').click()
  await expect(row.getByTestId('setting-state')).toHaveText('In effect')
  await expect(panel.getByTestId('restart-banner')).toHaveCount(0)
  expect((await stationSettings()).settings.find((s) => s.key === KEY)?.saved).toBeNull()
})

test('a guard cannot reach the station settings', async ({ page }) => {
  await ensureGuard()
  await signIn(page, E2E_GUARD.username, E2E_GUARD.password)
  await expect(page.getByTestId('nav-admin')).toHaveCount(0)
  await page.goto('/#/admin')
  await expect(page.getByTestId('forbidden')).toBeVisible()
  await expect(page.getByTestId('admin-station')).toHaveCount(0)
  const token = await sessionToken(page)
  expect((await api('GET', '/api/settings/station', token!)).status).toBe(403)
  expect((await api('PUT', '/api/settings/station', token!, { [KEY]: 60_000 })).status).toBe(403)
})

/**
 * The alarm console: a threshold rule on a sensor fires, the alarm shows on the guard's console with a
 * repeating sound and a desktop notification, the guard acknowledges it with a note from the keyboard, the
 * sound stops, and the audit log has the acknowledgement with its note. And events: an info event neither
 * sounds nor counts in the badge, a warning does, and "Acknowledge all" takes every waiting one.
 */
import type { Page } from '@playwright/test'
import { startSimulator } from '../src/main/simulator/simulator'
import { alertSpy as spy, installAlertSpy } from './alert-spy'
import { E2E_DEVICE_KEY, E2E_GUARD, E2E_URL } from './env'
import { adminToken, api, ensureGuard, expect, shot, signIn, test } from './fixtures'

const badge = (page: Page) => page.getByTestId('events-badge')
/** The first test's sensor device: it goes quiet after its readings, and its offline event follows. */
let alarmDevice: string | undefined
const offlineRow = (page: Page, id: string) =>
  page.getByTestId('event-row').filter({ hasText: id }).filter({ hasText: 'went offline' })
const badgeCount = async (page: Page) =>
  (await badge(page).count()) ? Number(await badge(page).textContent()) : 0

test.beforeEach(({ context, page }) => installAlertSpy(context, page))

test('a sensor over its threshold raises an alarm the guard acknowledges from the keyboard', async ({
  page,
}, info) => {
  test.setTimeout(120_000)
  await ensureGuard()
  const admin = await adminToken()
  const device = `e2e-alarm-${Date.now() % 100000}`
  alarmDevice = device
  const ruleName = `Server room too hot ${device}`
  const rule = await api<{ id: number }>('POST', '/api/rules', admin, {
    name: ruleName,
    severity: 'critical',
    trigger: { kind: 'threshold', deviceId: device, sensor: 'temp', op: 'above', level: 50, clearLevel: 45 },
  })
  expect(rule.status).toBe(201)
  const ingest = (value: number) =>
    fetch(`${E2E_URL}/api/v1/ingest/sensor-data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-device-key': E2E_DEVICE_KEY },
      body: JSON.stringify({ readings: [{ deviceId: device, sensor: 'temp', value }] }),
    })
  expect((await ingest(21)).status).toBe(200)

  await signIn(page, E2E_GUARD.username, E2E_GUARD.password)
  await page.getByTestId('nav-events').click()
  await expect(page.getByRole('heading', { name: 'Alarms & events' })).toBeVisible()
  await expect(page.getByTestId('console-shortcuts')).toContainText('acknowledge')
  const tonesBefore = (await spy(page)).tones

  expect((await ingest(63)).status).toBe(200)
  const row = page.getByTestId('alarm-row').filter({ hasText: ruleName })
  await expect(row).toHaveAttribute('data-state', 'active')
  await expect(badge(page)).toBeVisible()
  // It sounds, and keeps sounding while nobody acknowledges it (critical: every few seconds).
  await expect(page.locator('html')).toHaveAttribute('data-alarm-sound', 'critical')
  await expect.poll(async () => (await spy(page)).tones, { timeout: 20_000 }).toBeGreaterThan(tonesBefore + 3)
  await expect
    .poll(async () => (await spy(page)).notes.filter((n) => n.title === `Critical alarm: ${ruleName}`).length)
    .toBe(1)

  // Keyboard only: the loudest waiting alarm is first; J selects it, A acknowledges, Enter confirms.
  await page.keyboard.press('j')
  await expect(row).toHaveAttribute('aria-selected', 'true')
  await expect(row).toBeFocused()
  const detail = page.getByTestId('alarm-detail')
  await expect(detail).toContainText(`Device ${device}`)
  await expect(detail.getByTestId('sensor-chart')).toBeVisible()
  await expect(detail.getByTestId('alarm-history')).toContainText('Alarm opened')
  await shot(page, info, 'alarm-console')
  await page.keyboard.press('a')
  const dialog = page.getByTestId('alarm-dialog')
  await expect(dialog).toBeVisible()
  await expect(page.getByTestId('alarm-note')).toBeFocused()
  await page.keyboard.type('Checked the server room: door left open, closed it')
  await page.keyboard.press('Enter')
  await expect(dialog).toHaveCount(0)
  await expect(row).toHaveAttribute('data-state', 'acknowledged')
  await expect(detail.getByTestId('alarm-ack-note')).toContainText('door left open')

  // The sound stops with the acknowledgement (the page marks what sounds where the repeat is cleared).
  await expect(page.locator('html')).toHaveAttribute('data-alarm-sound', 'off')
  // The quiet device's offline event (a warning, with its own tone) comes before the admin's desk opens.
  await expect(offlineRow(page, device)).toBeVisible({ timeout: 20_000 })
  await page.getByTestId('logout').click()
  await signIn(page)
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('admin-tab-audit').click()
  const filters = page.getByTestId('audit-filters')
  await filters.getByLabel('Action').selectOption('alarm.acknowledge')
  await filters.getByRole('button', { name: 'Apply' }).click()
  const entry = page.getByTestId('audit-row').filter({ hasText: 'door left open' })
  await expect(entry).toHaveCount(1)
  await expect(entry).toContainText(E2E_GUARD.username)
  await shot(page, info, 'alarm-audit')
  // Another desk opened after the acknowledgement: the alarm is there, acknowledged, and nothing sounds.
  await page.getByTestId('nav-events').click()
  await expect(page.getByTestId('alarm-row').filter({ hasText: ruleName })).toHaveAttribute(
    'data-state',
    'acknowledged',
  )
  await expect(page.locator('html')).toHaveAttribute('data-alarm-sound', 'off')
  expect((await spy(page)).tones).toBe(0)

  expect((await api('DELETE', `/api/rules/${rule.data.id}`, admin)).status).toBe(200)
})

test('an info event neither sounds nor counts; a warning does; acknowledge all clears the badge', async ({
  page,
}) => {
  test.setTimeout(120_000)
  await signIn(page)
  await page.getByTestId('nav-events').click()
  // Start from nothing waiting (the first test's quiet device has gone offline by then).
  if (alarmDevice) await expect(offlineRow(page, alarmDevice)).toBeVisible({ timeout: 20_000 })
  const ackAll = page.getByTestId('ack-all')
  if (await ackAll.isEnabled()) await ackAll.click()
  await expect(badge(page)).toHaveCount(0)
  const tones = (await spy(page)).tones

  const sim = startSimulator({
    url: E2E_URL,
    key: E2E_DEVICE_KEY,
    devices: 1,
    rate: 2,
    prefix: 'ev-info-',
    heartbeatMs: 1000,
  })
  await sim.ready()
  const id = sim.deviceIds[0]!
  const online = page.getByTestId('event-row').filter({ hasText: `Device ${id} is online` })
  await expect(online).toHaveAttribute('data-severity', 'info', { timeout: 20_000 })
  await expect(online.getByTestId('ack-button')).toHaveCount(0)
  expect(await badgeCount(page)).toBe(0)
  expect((await spy(page)).tones).toBe(tones)

  await sim.stop()
  const offline = page.getByTestId('event-row').filter({ hasText: id }).filter({ hasText: 'went offline' })
  await expect(offline).toHaveAttribute('data-acked', 'false', { timeout: 20_000 })
  await expect(badge(page)).toHaveText('1')
  expect((await spy(page)).tones).toBeGreaterThan(tones)
  // Never a request id or an old cause in what the guard reads.
  await expect(offline).not.toContainText('request')

  await page.getByTestId('events-show-info').uncheck()
  await expect(online).toHaveCount(0)
  await expect(offline).toBeVisible()
  await page.getByTestId('events-show-info').check()
  await expect(online).toBeVisible()

  await expect(ackAll).toHaveText('Acknowledge all (1)')
  await ackAll.click()
  await expect(offline).toHaveAttribute('data-acked', 'true')
  await expect(badge(page)).toHaveCount(0)
  await expect(ackAll).toBeDisabled()
})

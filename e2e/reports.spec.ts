/**
 * Reports: a guard arms an area (with a confirm), another desk sees it armed live, the audit log has the
 * guard's entry; the shift report opens as a printable page and downloads as a PDF.
 */
import { adminToken, api, ensureGuard, expect, shot, signIn, test } from './fixtures'
import { E2E_GUARD } from './env'

test('a guard arms an area; the other desk sees it live and the audit log records it', async ({
  page,
  browser,
}, info) => {
  await ensureGuard()
  const admin = await adminToken()
  const name = `Depot ${Date.now() % 100000}`
  const area = await api<{ id: number }>('POST', '/api/areas', admin, { name })
  expect(area.status).toBe(201)
  const id = area.data.id

  // The admin's desk, on the Reports screen, follows the live channel.
  const other = await browser.newContext()
  const desk = await other.newPage()
  await signIn(desk)
  await desk.getByTestId('nav-reports').click()
  await expect(desk.getByTestId(`area-${id}-state`)).toHaveText('Disarmed')

  await signIn(page, E2E_GUARD.username, E2E_GUARD.password)
  await page.getByTestId('nav-reports').click()
  await expect(page.getByTestId(`area-${id}-state`)).toHaveText('Disarmed')
  await page.getByTestId(`area-${id}-toggle`).click()
  const dialog = page.getByTestId('confirm-dialog')
  await expect(dialog).toContainText(`Arm ${name}?`)
  await dialog.getByRole('button', { name: 'Arm' }).click()
  await expect(page.getByTestId(`area-${id}-state`)).toHaveText('Armed')
  await expect(page.getByTestId(`area-${id}`)).toContainText(`by ${E2E_GUARD.username}`)
  await expect(page.getByTestId(`area-${id}-toggle`)).toHaveText('Disarm')
  await shot(page, info, 'reports-arming')
  await expect(desk.getByTestId(`area-${id}-state`)).toHaveText('Armed')

  // The admin finds the guard's action in the audit log.
  await desk.getByTestId('nav-admin').click()
  await desk.getByTestId('admin-tab-audit').click()
  const filters = desk.getByTestId('audit-filters')
  await filters.getByLabel('Action').selectOption('area.arm')
  await filters.getByRole('button', { name: 'Apply' }).click()
  const row = desk.getByTestId('audit-row').filter({ hasText: E2E_GUARD.username })
  await expect(row.first()).toContainText('area.arm')
  await other.close()
})

test('the shift report opens as a printable page and downloads as a PDF', async ({ page }, info) => {
  await signIn(page)
  await page.getByTestId('nav-reports').click()
  const panel = page.getByTestId('handover-panel')
  await expect(panel).toContainText('Last 12 hours')

  const popup = page.waitForEvent('popup')
  await panel.getByTestId('report-open').click()
  const report = await popup
  await expect(report.getByRole('heading', { name: 'Shift handover report' })).toBeVisible()
  await expect(report.getByRole('heading', { name: 'Areas armed and disarmed' })).toBeVisible()
  await shot(report, info, 'shift-report')
  await report.close()

  const download = page.waitForEvent('download')
  await panel.getByTestId('report-pdf').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/\.pdf$/)
  const chunks: Buffer[] = []
  for await (const c of await file.createReadStream()) chunks.push(c as Buffer)
  expect(Buffer.concat(chunks).subarray(0, 5).toString('latin1')).toBe('%PDF-')
})

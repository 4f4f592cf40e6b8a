/** An admin changes an area, finds it in the audit log by filters, and exports the log as CSV. */
import { expect, shot, signIn, test } from './fixtures'

test('the audit log shows an admin action and exports it as CSV', async ({ page }, info) => {
  await signIn(page)
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('admin-tab-areas').click()
  const name = `Audit yard ${Date.now() % 100000}`
  await page.getByPlaceholder('North gate').fill(name)
  await page.getByRole('button', { name: 'Add area' }).click()
  await expect(page.getByRole('textbox', { name: 'Area name' }).last()).toHaveValue(name)

  await page.getByTestId('admin-tab-audit').click()
  const table = page.getByTestId('audit-table')
  await expect(table).toBeVisible()
  const filters = page.getByTestId('audit-filters')
  await filters.getByLabel('Action').selectOption('area.create')
  await filters.getByRole('button', { name: 'Apply' }).click()
  const row = page.getByTestId('audit-row').filter({ hasText: name })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('area.create')
  await expect(row).toContainText('admin')
  await shot(page, info, 'admin-audit')

  const download = page.waitForEvent('download')
  await page.getByTestId('audit-export').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^audit-.*\.csv$/)
  const stream = await file.createReadStream()
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  const csv = Buffer.concat(chunks).toString('utf8')
  expect(csv.split('\r\n')[0]).toMatch(/^seq,at,time,actorKind/)
  expect(csv).toContain(name)
})

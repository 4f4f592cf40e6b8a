/** An admin creates a threshold alarm rule in Admin → Rules, sees it listed, and finds it in the audit log. */
import { expect, shot, signIn, test } from './fixtures'

test('an admin creates a threshold rule and finds it in the audit log', async ({ page }, info) => {
  await signIn(page)
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('admin-tab-rules').click()
  await page.getByTestId('rule-new').click()
  const editor = page.getByTestId('rule-editor')
  const name = `Freezer warm ${Date.now() % 100000}`
  // Sent empty first: the form says what is missing, in plain words.
  await editor.getByRole('button', { name: 'Save rule' }).click()
  await expect(editor.getByText('Give the rule a name.')).toBeVisible()
  await editor.getByPlaceholder('Back door opened').fill(name)
  await editor.getByLabel('Device').fill('freezer-1')
  await editor.getByLabel('Sensor').fill('temperature')
  await editor.getByLabel('Level', { exact: true }).fill('-10')
  await editor.getByLabel('Clear level').fill('-12')
  await editor.getByLabel('For at least seconds').fill('60')
  await editor.getByRole('button', { name: 'Save rule' }).click()

  const row = page.getByTestId('rule-row').filter({ hasText: name })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('A sensor reading goes past a level')
  await expect(row.getByTestId('rule-state')).toHaveText('Quiet')
  await shot(page, info, 'admin-rules')

  await page.getByTestId('admin-tab-audit').click()
  const filters = page.getByTestId('audit-filters')
  await filters.getByLabel('Action').selectOption('rule.create')
  await filters.getByRole('button', { name: 'Apply' }).click()
  const entry = page.getByTestId('audit-row').filter({ hasText: name })
  await expect(entry).toHaveCount(1)
  await expect(entry).toContainText('admin')
})

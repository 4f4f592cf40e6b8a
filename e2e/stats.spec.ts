/** Statistics (admin): cache hits rise as cached answers are served; invalidate and clear work. */
import { adminToken, api, expect, shot, signIn, test } from './fixtures'

test('cache hits rise in the statistics screen', async ({ page }, info) => {
  await signIn(page)
  await page.getByTestId('nav-stats').click()
  const hits = page.getByTestId('cache-hits')
  await expect(hits).toHaveText(/^\d+$/)
  const before = Number(await hits.textContent())
  const token = await adminToken()
  for (let i = 0; i < 5; i++) await api('GET', '/api/cameras/active', token)
  await expect
    .poll(async () => Number(await hits.textContent()), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(before + 4)
  await expect(page.getByTestId('pool-panel')).toContainText('Reads served')
  await expect(page.getByTestId('queues-table')).toContainText('readings')
  await expect(page.getByTestId('video-panel')).toContainText('Cameras online')
  await shot(page, info, 'statistics')

  await page.getByTestId('cache-pattern').fill('/api/cameras')
  await page.getByTestId('cache-invalidate').click()
  await expect(page.getByRole('status').filter({ hasText: /Invalidated|entr/i })).toBeVisible()
  await page.getByTestId('cache-clear').click()
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Clear' }).click()
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0)
})

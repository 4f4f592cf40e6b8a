import { E2E_GUARD } from './env'
import { api, ensureGuard, expect, sessionToken, shot, signIn, test } from './fixtures'

test('refuses a wrong password with a clear message, then signs in', async ({ page }, info) => {
  await page.goto('/')
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible()
  await page.getByTestId('login-submit').click()
  await expect(page.getByRole('alert')).toHaveText('Enter your username.')
  await page.getByTestId('login-username').fill('admin')
  await page.getByTestId('login-password').fill('not-the-password')
  await page.getByTestId('login-submit').click()
  await expect(page.getByRole('alert')).toContainText(/wrong username or password/i)
  await shot(page, info, 'login-error')
  await signIn(page)
  await expect(page.getByTestId('nav-cameras')).toBeVisible()
  await expect(page.getByTestId('nav-admin')).toBeVisible()
  await shot(page, info, 'cameras')
})

test('keeps the session across a reload and signs out', async ({ page }) => {
  await signIn(page)
  await page.getByTestId('nav-events').click()
  await page.reload()
  await expect(page.getByTestId('screen-events')).toBeVisible()
  await page.getByTestId('logout').click()
  await expect(page.getByTestId('login-username')).toBeVisible()
})

test('a guard does not get the admin screens', async ({ page }, info) => {
  await ensureGuard()
  await signIn(page, E2E_GUARD.username, E2E_GUARD.password)
  await expect(page.getByTestId('nav-cameras')).toBeVisible()
  await expect(page.getByTestId('nav-admin')).toHaveCount(0)
  await expect(page.getByTestId('nav-stats')).toHaveCount(0)
  await page.goto('/#/admin')
  await expect(page.getByTestId('forbidden')).toContainText('Administrators only')
  await shot(page, info, 'guard-forbidden')
  await page.goto('/#/stats')
  await expect(page.getByTestId('forbidden')).toBeVisible()
  // The station itself refuses too, whatever the page shows.
  const token = await sessionToken(page)
  expect((await api('GET', '/api/users', token!)).status).toBe(403)
})

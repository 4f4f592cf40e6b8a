/** The guard is told when the live connection drops (with the last update time) and when the session ends. */
import type { WebSocketRoute } from '@playwright/test'
import { api, expect, sessionToken, shot, signIn, test } from './fixtures'

test('a dropped live connection shows a banner with the last update, then reconnects', async ({
  page,
}, info) => {
  let refuse = false
  let delivered = 0
  const open: WebSocketRoute[] = []
  await page.routeWebSocket(/\/ws\/live/, (ws) => {
    if (refuse) {
      void ws.close({ code: 1011, reason: 'test: station unreachable' })
      return
    }
    const server = ws.connectToServer()
    server.onMessage((m) => {
      delivered++
      ws.send(m)
    })
    open.push(ws)
  })
  await signIn(page)
  await expect.poll(() => delivered).toBeGreaterThan(0)
  await expect(page.getByTestId('connection-lost')).toHaveCount(0)
  refuse = true
  for (const ws of open.splice(0)) await ws.close({ code: 1006, reason: 'test: dropped' })
  const banner = page.getByTestId('connection-lost')
  await expect(banner).toBeVisible()
  await expect(banner).toContainText('Connection to the station lost')
  await expect(banner).toContainText(/last updated \d/)
  await shot(page, info, 'connection-lost')
  refuse = false
  await expect(banner).toHaveCount(0, { timeout: 30_000 })
})

test('an ended session returns to login with a notice, keeping the layout', async ({ page }) => {
  await signIn(page)
  await page.getByTestId('layout-9').click()
  const token = await sessionToken(page)
  // The session ends elsewhere (signed out on another desk, expired, or revoked by an admin): the
  // station closes the page's live channel at once (4401), and the page returns to login by itself.
  expect((await api('POST', '/api/auth/logout', token!)).status).toBe(200)
  await expect(page.getByTestId('login-username')).toBeVisible({ timeout: 20_000 })
  await expect(page.getByRole('status')).toContainText(/session/i)
  await signIn(page)
  await page.getByTestId('nav-cameras').click()
  await expect(page.getByTestId('layout-9')).toHaveAttribute('aria-pressed', 'true')
})

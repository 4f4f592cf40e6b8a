/** An admin creates, edits and deletes a camera; the form checks before sending and shows the station's refusals. */
import { expect, shot, signIn, test } from './fixtures'

test('create, edit and delete a camera as admin', async ({ page }, info) => {
  await signIn(page)
  await page.getByTestId('nav-admin').click()
  await expect(page.getByTestId('admin-cameras')).toBeVisible()
  const name = `Loading dock ${Date.now() % 100000}`

  await page.getByTestId('camera-add').click()
  const form = page.getByTestId('camera-form')
  // Checked before sending: no name, a URL the kind does not allow.
  await form.getByTestId('camera-url').fill('file:///etc/passwd')
  await form.getByTestId('camera-save').click()
  await expect(form.getByText('Give the camera a name.')).toBeVisible()
  await expect(form.getByText(/Use http or https/)).toBeVisible()
  await form.getByTestId('camera-name').fill(name)
  await form.getByTestId('camera-url').fill('http://192.0.2.10/video.mjpg')
  await form.getByTestId('camera-fps').fill('5')
  await shot(page, info, 'camera-form')
  await form.getByTestId('camera-save').click()
  await expect(form).toHaveCount(0)
  const row = page.getByTestId('camera-row').filter({ hasText: name })
  await expect(row).toContainText('mjpeg · 5 fps')

  await row.getByTestId('camera-edit').click()
  await form.getByTestId('camera-name').fill(`${name} east`)
  await form.getByTestId('camera-kind').selectOption('push')
  await form.getByTestId('camera-save').click()
  await expect(form).toHaveCount(0)
  const edited = page.getByTestId('camera-row').filter({ hasText: `${name} east` })
  await expect(edited).toContainText('push · 5 fps')
  await shot(page, info, 'admin-cameras')

  // The grid shows it at once.
  await page.getByTestId('nav-cameras').click()
  await expect(page.locator('[data-testid="camera-tile"]', { hasText: `${name} east` })).toHaveCount(1)

  await page.getByTestId('nav-admin').click()
  await edited.getByTestId('camera-delete').click()
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete' }).click()
  await expect(edited).toHaveCount(0)
})

test("shows the station's message when it refuses a change", async ({ page }) => {
  await signIn(page)
  await page.getByTestId('nav-admin').click()
  await page.getByTestId('admin-tab-users').click()
  await page.getByTestId('user-username').fill('admin')
  await page.getByTestId('user-password').fill('long-enough-password')
  await page.getByTestId('user-create').click()
  await expect(page.getByTestId('admin-users').getByRole('alert')).toContainText(/already exists/i)
})

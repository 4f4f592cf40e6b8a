/**
 * Several desks at once: what an admin changes on the cameras reaches a guard's wall live (added,
 * renamed, removed), and a guard's own tile order (drag and drop) survives a reload.
 */
import type { Page } from '@playwright/test'
import type { Camera } from '../src/shared/schemas/entities'
import { E2E_GUARD } from './env'
import { adminToken, api, ensureGuard, expect, shot, signIn, test } from './fixtures'

const created: number[] = []

async function addCamera(name: string): Promise<Camera> {
  const res = await api<Camera>('POST', '/api/cameras', await adminToken(), { name, kind: 'push' })
  if (res.status !== 201) throw new Error(`camera create failed: ${res.status}`)
  created.push(res.data.id)
  return res.data
}

test.afterAll(async () => {
  const token = await adminToken()
  for (const id of created) await api('DELETE', `/api/cameras/${id}`, token)
})

/** The camera ids of the grid's tiles, in the order shown. */
const tileOrder = (page: Page) =>
  page
    .getByTestId('camera-tile')
    .evaluateAll((tiles) => tiles.map((t) => Number(t.getAttribute('data-camera-id'))))

test("a guard's wall follows an admin's camera changes live, without reloading", async ({ page }, info) => {
  await ensureGuard()
  await signIn(page, E2E_GUARD.username, E2E_GUARD.password)
  await page.keyboard.press('4')
  const tag = Date.now() % 100000
  const cam = await addCamera(`Desk cam ${tag}`)
  const tile = page.locator(`[data-camera-id="${cam.id}"]`)
  await expect(tile).toContainText(`Desk cam ${tag}`)
  const token = await adminToken()
  expect(
    (await api('PUT', `/api/cameras/${cam.id}`, token, { name: `Desk cam ${tag} renamed` })).status,
  ).toBe(200)
  await expect(tile).toContainText(`Desk cam ${tag} renamed`)
  await shot(page, info, 'desk-live-camera')
  expect((await api('DELETE', `/api/cameras/${cam.id}`, token)).status).toBe(200)
  await expect(tile).toHaveCount(0)
})

test('dragging a tile onto another reorders the wall, and the order survives a reload', async ({ page }) => {
  const tag = Date.now() % 100000
  const a = await addCamera(`Order A ${tag}`)
  const b = await addCamera(`Order B ${tag}`)
  await signIn(page)
  await page.keyboard.press('4')
  const tileA = page.locator(`[data-camera-id="${a.id}"]`)
  const tileB = page.locator(`[data-camera-id="${b.id}"]`)
  await expect(tileA).toBeVisible()
  await expect(tileB).toBeVisible()
  const before = await tileOrder(page)
  expect(before.indexOf(a.id)).toBeLessThan(before.indexOf(b.id))

  await tileB.dragTo(tileA)
  await expect
    .poll(async () => {
      const order = await tileOrder(page)
      return order.indexOf(b.id) < order.indexOf(a.id)
    })
    .toBe(true)
  const after = await tileOrder(page)
  expect(after.indexOf(b.id)).toBe(before.indexOf(a.id))

  await page.reload()
  await expect(page.getByTestId('camera-grid')).toHaveAttribute('data-layout', '16')
  await expect(tileB).toBeVisible()
  expect(await tileOrder(page)).toEqual(after)
})

/** Helpers the specs share: the station's API (as admin), signing in through the UI, screenshots. */
import { expect, test as base, type Page, type TestInfo } from '@playwright/test'
import { E2E_ADMIN_PASSWORD, E2E_GUARD, E2E_URL } from './env'

export async function api<T>(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; data: T }> {
  const res = await fetch(`${E2E_URL}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const json = (await res.json().catch(() => ({}))) as { data: T }
  return { status: res.status, data: json.data }
}

export async function adminToken(): Promise<string> {
  const res = await api<{ token: string }>('POST', '/api/auth/login', undefined, {
    username: 'admin',
    password: E2E_ADMIN_PASSWORD,
  })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status}`)
  return res.data.token
}

/** Makes sure the e2e guard account exists. */
export async function ensureGuard(): Promise<void> {
  const token = await adminToken()
  const res = await api('POST', '/api/users', token, { ...E2E_GUARD, role: 'guard' })
  if (res.status !== 201 && res.status !== 409) throw new Error(`guard create failed: ${res.status}`)
}

export async function signIn(page: Page, username = 'admin', password = E2E_ADMIN_PASSWORD): Promise<void> {
  await page.goto('/')
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('current-user')).toContainText(username)
}

/** Saves a screenshot of the current screen as a test artifact (test-results/, not committed). */
export async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: false })
}

export const test = base
export { expect }

/** The page's session token (what the UI keeps across reloads). */
export function sessionToken(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }
    return g.sessionStorage.getItem('guard-station.session')
  })
}

interface Context2dLike {
  getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> }
  drawImage(source: CanvasLike, x: number, y: number): void
}
interface CanvasLike {
  width: number
  height: number
  getContext(kind: '2d'): Context2dLike | null
}

/**
 * A digest of what the n-th canvas matching `selector` shows now ('missing' when there is none). A canvas
 * drawn from a worker (OffscreenCanvas) is read through a copy of what it shows.
 */
export function canvasDigest(page: Page, selector: string, index = 0): Promise<string> {
  return page.evaluate(
    ({ selector, index }) => {
      const doc = (
        globalThis as unknown as {
          document: {
            querySelectorAll(s: string): ArrayLike<CanvasLike>
            createElement(tag: 'canvas'): CanvasLike
          }
        }
      ).document
      const c = doc.querySelectorAll(selector)[index]
      if (!c) return 'missing'
      let ctx: Context2dLike | null
      try {
        ctx = c.getContext('2d')
      } catch {
        // Its control went to an OffscreenCanvas: copy the frame it shows.
        const copy = doc.createElement('canvas')
        copy.width = c.width
        copy.height = c.height
        ctx = copy.getContext('2d')
        ctx?.drawImage(c, 0, 0)
      }
      if (!ctx) return 'missing'
      const data = ctx.getImageData(0, 0, c.width, c.height).data
      let h = 0
      for (let i = 0; i < data.length; i += 97) h = (h * 31 + data[i]!) | 0
      return `${c.width}x${c.height}:${h}`
    },
    { selector, index },
  )
}

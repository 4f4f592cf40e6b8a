/**
 * Counts what a page plays and shows for alerts: tones (oscillator starts) and desktop notifications, with
 * the notification permission granted and the page looking away (notifications are for then).
 */
import type { BrowserContext, Page } from '@playwright/test'
import { E2E_URL } from './env'

export interface AlertSpy {
  notes: { title: string; body: string }[]
  tones: number
}

/** The page's globals the spy wraps (the e2e files compile without the DOM library). */
interface NotificationCtor {
  new (title: string, options?: { body?: string }): object
  readonly permission: string
}
interface PageGlobals {
  __alerts: AlertSpy
  Notification: NotificationCtor
  AudioContext: { prototype: { createOscillator(): unknown } }
  document: { hasFocus(): boolean }
}

/** Installs the spy in every page the context opens from now on. */
export async function installAlertSpy(context: BrowserContext, page: Page): Promise<void> {
  await context.grantPermissions(['notifications'], { origin: E2E_URL })
  await page.addInitScript(() => {
    const g = globalThis as unknown as PageGlobals
    const alerts: AlertSpy = { notes: [], tones: 0 }
    g.__alerts = alerts
    const Real = g.Notification
    class Spy extends Real {
      constructor(title: string, options?: { body?: string }) {
        alerts.notes.push({ title, body: options?.body ?? '' })
        super(title, options)
      }
    }
    Object.defineProperty(Spy, 'permission', { get: () => Real.permission })
    g.Notification = Spy
    const createOscillator = g.AudioContext.prototype.createOscillator
    g.AudioContext.prototype.createOscillator = function (this: unknown) {
      alerts.tones++
      return createOscillator.call(this)
    }
    // The guard is looking at another window: notifications are for then.
    g.document.hasFocus = () => false
  })
}

/** What the page played and showed so far. */
export const alertSpy = (page: Page): Promise<AlertSpy> =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).__alerts)

/** The page's notification permission, as the page sees it. */
export const notificationPermission = (page: Page): Promise<string> =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).Notification.permission)

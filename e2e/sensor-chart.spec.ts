/**
 * Sensor charts tell the truth (issue 14): the x-axis is the chosen range ending now (5 min, 1 h and
 * 24 h differ), a single reading is drawn as a visible point, the unit is named, and a range without a
 * reading says when the last one came instead of "has not sent a reading yet".
 */
import type { Page } from '@playwright/test'
import { E2E_DEVICE_KEY, E2E_URL } from './env'
import { expect, shot, signIn, test } from './fixtures'

const DEVICE = 'e2e-chart-1'
const readingAt = Date.now() - 10 * 60_000

test.beforeAll(async () => {
  const res = await fetch(`${E2E_URL}/api/v1/ingest/sensor-data`, {
    method: 'POST',
    headers: { 'x-device-key': E2E_DEVICE_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: DEVICE, sensor: 'temperature', value: 21.5, unit: '°C', ts: readingAt }),
  })
  expect(res.status).toBeLessThan(300)
})

/** The chart's x span in seconds, as uPlot set its scale. */
async function xSpan(page: Page): Promise<number> {
  const el = page.getByTestId('uplot-chart')
  const min = Number(await el.getAttribute('data-x-min'))
  const max = Number(await el.getAttribute('data-x-max'))
  return Math.round(max - min)
}

/** Pixels of the series colour (#5aa9ff) on the chart's canvas: a drawn point or line. */
function seriesPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document
    const c = doc.querySelector('[data-testid="uplot-chart"] canvas') as {
      width: number
      height: number
      getContext(k: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> }
      }
    } | null
    if (!c) return -1
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i]! - 90) < 12 && Math.abs(d[i + 1]! - 169) < 12 && Math.abs(d[i + 2]! - 255) < 12) n++
    }
    return n
  })
}

test('the axis shows the chosen range, one reading is a visible point, the unit is named', async ({
  page,
}, info) => {
  await signIn(page)
  await page.getByTestId('nav-sensors').click()
  await page.locator(`[data-testid="device-item"][data-device-id="${DEVICE}"]`).click()
  const chart = page.getByTestId('sensor-chart')
  await expect(chart).toHaveCount(1)
  await expect(chart.locator('h3')).toHaveText('temperature (°C)')
  await expect(page.getByTestId('uplot-chart')).toHaveAttribute('aria-label', /in °C/)

  await page.getByTestId('range-5m').click()
  await expect.poll(() => xSpan(page)).toBe(300)
  // The reading is 10 min old: this range has none, and the chart says when the last one came.
  await expect(page.getByTestId('chart-empty')).toHaveText(
    /^No reading in the last 5 min · last reading \d\d:\d\d$/,
  )
  await expect(page.getByText('has not sent a reading yet')).toHaveCount(0)
  await shot(page, info, 'chart-5m-empty')

  await page.getByTestId('range-1h').click()
  await expect.poll(() => xSpan(page)).toBe(3600)
  await expect(page.getByTestId('chart-empty')).toHaveCount(0)
  await expect.poll(() => seriesPixels(page)).toBeGreaterThan(10)
  await shot(page, info, 'chart-1h-one-point')

  await page.getByTestId('range-24h').click()
  await expect.poll(() => xSpan(page)).toBe(86_400)
  await expect.poll(() => seriesPixels(page)).toBeGreaterThan(10)
  // The x-axis ends now, not at the reading.
  const max = Number(await page.getByTestId('uplot-chart').getAttribute('data-x-max'))
  expect(max * 1000).toBeGreaterThan(readingAt + 5 * 60_000)
})

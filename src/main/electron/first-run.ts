/**
 * The first start of the desktop app: with no STATION_ADMIN_PASSWORD, the station would print the
 * generated admin password on a console nobody sees. The app generates it instead and shows it once
 * in a dialog (with a button to copy it), only when the station really created the admin with it.
 */
import type { FastifyInstance } from 'fastify'
import { generatePassword, verifyPassword } from '../auth/passwords'
import type { StationConfig } from '../config'
import type { ElectronLike } from './electron-api'

/** Chooses the first-run password when none is configured; returns it (undefined when configured). */
export function chooseFirstRunPassword(config: StationConfig): string | undefined {
  if (config.adminPassword !== undefined) return undefined
  config.adminPassword = generatePassword()
  config.adminPasswordGenerated = true
  return config.adminPassword
}

/** Whether the admin was just created with this (random) password, i.e. this is the first run. */
export async function createdWith(app: Pick<FastifyInstance, 'auth'>, password: string): Promise<boolean> {
  const admin = app.auth.users.findByUsername('admin')
  return admin !== undefined && (await verifyPassword(password, admin.passwordHash))
}

export async function showFirstRunPassword(
  electron: Pick<ElectronLike, 'dialog' | 'clipboard'>,
  password: string,
): Promise<void> {
  const { response } = await electron.dialog.showMessageBox({
    type: 'info',
    title: 'Guard Station: first start',
    message: 'Sign in as "admin" with this password',
    detail: `${password}\n\nIt is shown only this once. Change it after signing in, and create an account for each guard.`,
    buttons: ['Copy Password', 'OK'],
    defaultId: 0,
    noLink: true,
  })
  if (response === 0) electron.clipboard.writeText(password)
}

/** The desktop app's own preferences (not the station's settings): kept in `desktop.json` in its folder. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface DesktopPrefs {
  /** Native notifications for new events. */
  notifications: boolean
  /** The "still running in the tray" hint was shown once already. */
  trayHintShown: boolean
}

const DEFAULTS: DesktopPrefs = { notifications: true, trayHintShown: false }
export const PREFS_FILE = 'desktop.json'

export interface PrefsStore {
  get(): DesktopPrefs
  set(patch: Partial<DesktopPrefs>): void
}

export function openPrefs(dir: string): PrefsStore {
  const file = join(dir, PREFS_FILE)
  let prefs = { ...DEFAULTS }
  if (existsSync(file)) {
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<DesktopPrefs>
      if (typeof raw.notifications === 'boolean') prefs.notifications = raw.notifications
      if (typeof raw.trayHintShown === 'boolean') prefs.trayHintShown = raw.trayHintShown
    } catch {
      // A damaged file: start from the defaults, it is rewritten on the next change.
    }
  }
  return {
    get: () => prefs,
    set(patch) {
      prefs = { ...prefs, ...patch }
      mkdirSync(dir, { recursive: true })
      const tmp = `${file}.tmp`
      writeFileSync(tmp, JSON.stringify(prefs, null, 2))
      renameSync(tmp, file)
    },
  }
}

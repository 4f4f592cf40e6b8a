/**
 * Settings an older station read and this one does not (not in the catalog): a station started with one set
 * says so once at start, naming what replaced it, instead of silently ignoring it.
 */
export const RETIRED_SETTINGS: Readonly<Record<string, string>> = {
  STATION_SESSION_TTL_MS:
    'STATION_SESSION_TTL_MS is no longer used: a sign-in now lasts STATION_SESSION_IDLE_MS without activity, ' +
    'renewed by what the guard does, and at most STATION_SESSION_MAX_MS',
}

export function retiredSettingsIn(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(RETIRED_SETTINGS)
    .filter((name) => env[name] !== undefined && env[name] !== '')
    .map((name) => RETIRED_SETTINGS[name]!)
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StationSettings } from '../../../shared/contract'
import { FakeTransport, MemoryStorage } from '../transport/fake-transport.test-support'
import { StationRequestError } from '../transport/types'
import { createStationStore, type StationStore } from './create-store'
import { ReadingBus } from './reading-bus'
import { StatsSeries } from './stats-series'

const view = (ttl: number | null): StationSettings => ({
  settings: [
    {
      key: 'cacheTtlMs',
      label: 'Response cache TTL (ms)',
      value: 5000,
      saved: ttl,
      default: 5000,
      envVar: 'STATION_CACHE_TTL_MS',
      source: ttl === null ? 'default' : 'saved',
      editable: true,
      restartRequired: ttl !== null && ttl !== 5000,
      min: 1000,
      max: 86_400_000,
    },
  ],
  deviceKey: { source: 'station', editable: true },
  restartRequired: ttl !== null && ttl !== 5000,
})

describe('station settings in the store', () => {
  let t: FakeTransport
  let st: StationStore
  beforeEach(() => {
    t = new FakeTransport()
      .answer('auth:login', {
        token: 'tok',
        expiresAt: 9e12,
        maxExpiresAt: 9e12,
        warnMs: 300_000,
        user: { username: 'root', role: 'admin' },
      })
      .answer('auth:logout', { loggedOut: true })
      .answer('settings:get', view(null))
      .answer('settings:deviceKey', { deviceKey: 'k'.repeat(20), header: 'x-device-key', source: 'station' })
    st = createStationStore({
      transport: t,
      storage: new MemoryStorage(),
      sessionStorage: new MemoryStorage(),
      readings: new ReadingBus(),
      series: new StatsSeries(),
    })
  })
  afterEach(() => st.dispose())

  it('loads the view, saves a change and keeps the answer, which says a restart is needed', async () => {
    await st.store.getState().loadStationSettings()
    expect(st.store.getState().stationSettings?.restartRequired).toBe(false)
    t.answer('settings:update', (a) => ({ ...view(a.cacheTtlMs ?? null), changed: ['cacheTtlMs'] }))
    const res = await st.store.getState().saveStationSettings({ cacheTtlMs: 60_000 })
    expect(res.ok).toBe(true)
    expect(t.callsOf('settings:update')).toEqual([{ cacheTtlMs: 60_000 }])
    const s = st.store.getState().stationSettings!
    expect(s.restartRequired).toBe(true)
    expect(s.settings[0]).toMatchObject({ saved: 60_000, restartRequired: true })
    expect(t.callsOf('settings:deviceKey')).toHaveLength(0)
  })

  it("answers the form with the station's message and keeps the view when it refuses", async () => {
    await st.store.getState().loadStationSettings()
    t.answer(
      'settings:update',
      new StationRequestError(409, 'CONFLICT', 'Port is set by STATION_PORT: change it there and restart'),
    )
    expect(await st.store.getState().saveStationSettings({ port: 9000 })).toEqual({
      ok: false,
      error: 'Port is set by STATION_PORT: change it there and restart',
      status: 409,
    })
    expect(st.store.getState().stationSettings).toEqual(view(null))
  })

  it('reloads the device key after setting a new one, shows load failures, forgets it all on sign-out', async () => {
    t.answer('settings:update', { ...view(null), changed: ['deviceKey'], appliedNow: ['deviceKey'] })
    await st.store.getState().saveStationSettings({ deviceKey: 'a-new-site-key-0123' })
    expect(t.callsOf('settings:deviceKey')).toHaveLength(1)
    t.answer('settings:get', new StationRequestError(403, 'FORBIDDEN', 'Administrators only'))
    st.store.setState({ stationSettings: null })
    await st.store.getState().loadStationSettings()
    expect(st.store.getState()).toMatchObject({
      stationSettingsStatus: 'error',
      stationSettingsError: 'Administrators only',
    })
    await st.store.getState().login('root', 'pw')
    st.store.setState({ stationSettings: view(null) })
    await st.store.getState().logout()
    expect(st.store.getState().stationSettings).toBeNull()
  })
})

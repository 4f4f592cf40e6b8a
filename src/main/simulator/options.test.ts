import { describe, expect, it } from 'vitest'
import { DEFAULT_CAMERA_FPS, parseCli, USAGE } from './options'
import { DEFAULT_OPTIONS } from './simulator'

describe('simulator command line', () => {
  it('simulates devices only by default', () => {
    const o = parseCli([], {})
    expect(o.sim.devices).toBe(DEFAULT_OPTIONS.devices)
    expect(o.cameras).toEqual({ count: 0, fps: DEFAULT_CAMERA_FPS, adminPassword: undefined })
  })

  it('adds cameras with --cameras and --fps, alongside the devices', () => {
    const o = parseCli(['--cameras', '8', '--fps', '25', '--admin-password', 'secret-password'], {})
    expect(o.cameras).toEqual({ count: 8, fps: 25, adminPassword: 'secret-password' })
    expect(o.sim.devices).toBe(DEFAULT_OPTIONS.devices)
  })

  it('runs cameras alone with --devices 0', () => {
    const o = parseCli(['--cameras', '2', '--devices', '0'], {})
    expect(o.sim.devices).toBe(0)
    expect(o.cameras.count).toBe(2)
  })

  it('takes the admin password and the device key from the environment', () => {
    const o = parseCli(['--cameras', '1'], {
      STATION_ADMIN_PASSWORD: 'from-the-environment',
      STATION_DEVICE_KEY: 'key-from-the-environment',
    })
    expect(o.cameras.adminPassword).toBe('from-the-environment')
    expect(o.sim.key).toBe('key-from-the-environment')
    expect(
      parseCli(['--cameras', '1', '--admin-password', 'given'], { STATION_ADMIN_PASSWORD: 'env' }).cameras,
    ).toMatchObject({ adminPassword: 'given' })
    // An empty variable counts as unset.
    expect(parseCli(['--cameras', '1'], { STATION_ADMIN_PASSWORD: '' }).cameras.adminPassword).toBeUndefined()
  })

  it('refuses what it cannot run, naming the option', () => {
    expect(() => parseCli(['--devices', '0'], {})).toThrow(/--devices 0 needs --cameras/)
    expect(() => parseCli(['--fps', '25'], {})).toThrow(/--fps needs --cameras/)
    expect(() => parseCli(['--cameras', '2', '--fps', '0'], {})).toThrow(
      /--fps must be a number between 1 and 60/,
    )
    expect(() => parseCli(['--cameras', '2', '--fps', '61'], {})).toThrow(/--fps/)
    expect(() => parseCli(['--cameras', '-1'], {})).toThrow(/--cameras/)
    expect(() => parseCli(['--cameras', 'eight'], {})).toThrow(/--cameras/)
    expect(() => parseCli(['--devices', '-1'], {})).toThrow(/--devices/)
    expect(() => parseCli(['--camera', '2'], {})).toThrow(/camera/)
  })

  it('--help shows the camera options, whatever else is given', () => {
    expect(parseCli(['--help', '--devices', '0'], {}).help).toBe(true)
    for (const opt of ['--cameras <n>', '--fps <n>', '--admin-password', '--devices 0']) {
      expect(USAGE).toContain(opt)
    }
  })
})

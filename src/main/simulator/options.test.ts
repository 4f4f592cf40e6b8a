import { describe, expect, it } from 'vitest'
import { DEFAULT_CAMERA_FPS, parseCli, RTSP_DEFAULTS, USAGE } from './options'
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

  it('adds RTSP cameras with --rtsp-cameras, defaults documented in the help', () => {
    const o = parseCli(['--rtsp-cameras', '4', '--devices', '0'], {})
    expect(o.rtsp).toEqual({ count: 4, ...RTSP_DEFAULTS })
    expect(o.cameras.count).toBe(0)
    expect(USAGE).toContain(`default ${RTSP_DEFAULTS.port}; 0: any free port`)
    expect(USAGE).toContain(`default ${RTSP_DEFAULTS.width}x${RTSP_DEFAULTS.height}`)
    const all = parseCli(
      [
        ...['--rtsp-cameras', '2', '--rtsp-port', '0', '--rtsp-auth', 'digest', '--rtsp-user', 'cam'],
        ...[
          '--rtsp-password',
          'pw',
          '--rtsp-size',
          '1920x1080',
          '--rtsp-fps',
          '30',
          '--rtsp-pattern',
          'moving-square',
        ],
      ],
      {},
    )
    expect(all.rtsp).toEqual({
      count: 2,
      port: 0,
      auth: 'digest',
      username: 'cam',
      password: 'pw',
      width: 1920,
      height: 1080,
      fps: 30,
      pattern: 'moving-square',
    })
    // No devices by default in the count: parseCli leaves the devices as they are.
    expect(parseCli(['--rtsp-cameras', '1'], {}).sim.devices).toBe(DEFAULT_OPTIONS.devices)
  })

  it('refuses RTSP options it cannot use, naming the option', () => {
    expect(() => parseCli(['--rtsp-auth', 'basic'], {})).toThrow(/--rtsp-auth needs --rtsp-cameras/)
    expect(() => parseCli(['--rtsp-cameras', '0', '--devices', '0'], {})).toThrow(/Nothing to simulate/)
    expect(() => parseCli(['--rtsp-cameras', '1', '--rtsp-auth', 'ntlm'], {})).toThrow(
      /none, basic or digest/,
    )
    expect(() => parseCli(['--rtsp-cameras', '1', '--rtsp-size', '1280'], {})).toThrow(/--rtsp-size/)
    expect(() => parseCli(['--rtsp-cameras', '1', '--rtsp-size', '641x360'], {})).toThrow(/even/)
    expect(() => parseCli(['--rtsp-cameras', '1', '--rtsp-port', '70000'], {})).toThrow(/--rtsp-port/)
    expect(() => parseCli(['--rtsp-cameras', '1', '--rtsp-fps', '0'], {})).toThrow(/--rtsp-fps/)
    expect(() => parseCli(['--rtsp-cameras', '1', '--rtsp-pattern', 'plaid'], {})).toThrow(/--rtsp-pattern/)
    expect(() => parseCli(['--rtsp-cameras', '1', '--rtsp-user', 'a:b'], {})).toThrow(/--rtsp-user/)
    expect(() => parseCli(['--rtsp-cameras', '65'], {})).toThrow(/--rtsp-cameras/)
  })

  it('--help shows the camera options, whatever else is given', () => {
    expect(parseCli(['--help', '--devices', '0'], {}).help).toBe(true)
    for (const opt of [
      ...['--cameras <n>', '--fps <n>', '--admin-password', '--devices 0', '--rtsp-cameras <n>'],
      ...['--rtsp-port <port>', '--rtsp-auth', '--rtsp-user', '--rtsp-password', '--rtsp-size', '--rtsp-fps'],
      '--rtsp-pattern',
    ]) {
      expect(USAGE).toContain(opt)
    }
  })
})

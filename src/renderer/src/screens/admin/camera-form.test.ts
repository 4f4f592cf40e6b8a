import { describe, expect, it } from 'vitest'
import { emptyDraft, toCameraInput, validateCamera } from './camera-form'

describe('camera form', () => {
  it('checks the name, the URL scheme per kind and the frame rate before sending', () => {
    expect(validateCamera({ ...emptyDraft(), name: ' ' })).toMatchObject({
      name: expect.any(String),
      url: expect.any(String),
    })
    expect(validateCamera({ ...emptyDraft(), name: 'A', url: 'file:///etc/passwd' }).url).toMatch(
      /http or https/,
    )
    expect(validateCamera({ ...emptyDraft(), name: 'A', kind: 'rtsp', url: 'http://x/' }).url).toMatch(/rtsp/)
    expect(validateCamera({ ...emptyDraft(), name: 'A', url: 'not a url' }).url).toMatch(/not a valid URL/)
    expect(
      validateCamera({ ...emptyDraft(), name: 'A', url: 'http://cam/video', fps: '0' }).fps,
    ).toBeDefined()
    expect(validateCamera({ ...emptyDraft(), name: 'A', kind: 'push', url: '' })).toEqual({})
    expect(
      validateCamera({ ...emptyDraft(), name: 'A', url: 'https://cam/v.mjpg', password: 'x' }).username,
    ).toBeDefined()
  })

  it('sends credentials only when given, clears them on request, and no URL for push cameras', () => {
    const base = { ...emptyDraft(), name: ' Gate ', url: 'http://cam/v' }
    expect(toCameraInput(base, true)).not.toHaveProperty('password')
    expect(toCameraInput({ ...base, username: 'u', password: 'p' }, true)).toMatchObject({
      name: 'Gate',
      username: 'u',
      password: 'p',
    })
    expect(toCameraInput({ ...base, username: 'u', clearCredentials: true }, true)).toMatchObject({
      username: null,
      password: null,
    })
    expect(toCameraInput({ ...base, kind: 'push', username: 'u' }, false)).toMatchObject({ url: null })
    expect(toCameraInput({ ...base, kind: 'push', username: 'u' }, false)).not.toHaveProperty('username')
  })

  it('takes a sub stream URL and a transport for rtsp cameras only', () => {
    const rtsp = { ...emptyDraft(), name: 'Yard', kind: 'rtsp' as const, url: 'rtsps://cam/main' }
    expect(validateCamera(rtsp)).toEqual({})
    expect(validateCamera({ ...rtsp, subUrl: 'http://cam/sub' }).subUrl).toMatch(/rtsp or rtsps/)
    expect(validateCamera({ ...rtsp, subUrl: 'nope' }).subUrl).toMatch(/not a valid URL/)
    expect(toCameraInput({ ...rtsp, subUrl: ' rtsp://cam/sub ', transport: 'udp' }, false)).toMatchObject({
      subUrl: 'rtsp://cam/sub',
      transport: 'udp',
    })
    expect(toCameraInput({ ...rtsp, subUrl: ' ' }, true)).toMatchObject({ subUrl: null, transport: 'tcp' })
    const mjpeg = toCameraInput(
      { ...emptyDraft(), name: 'G', url: 'http://cam/v', subUrl: 'rtsp://x/s' },
      false,
    )
    expect(mjpeg).not.toHaveProperty('subUrl')
    expect(mjpeg).not.toHaveProperty('transport')
  })
})

describe('camera form: recording', () => {
  it('sends the recording field, GiB as bytes, empty bounds as null', () => {
    const d = { ...emptyDraft(), name: 'A', kind: 'push' as const, recMode: 'events' as const, maxGiB: '2' }
    expect(validateCamera(d)).toEqual({})
    expect(toCameraInput(d, false).recording).toEqual({
      mode: 'events',
      preRollS: 5,
      postRollS: 10,
      minDays: null,
      maxDays: null,
      maxBytes: 2 * 1024 ** 3,
    })
  })
  it('checks the bounds before sending', () => {
    const d = {
      ...emptyDraft(),
      name: 'A',
      kind: 'push' as const,
      preRollS: '61',
      minDays: '9',
      maxDays: '3',
    }
    expect(validateCamera(d)).toMatchObject({ preRollS: expect.any(String), maxDays: expect.any(String) })
  })
})

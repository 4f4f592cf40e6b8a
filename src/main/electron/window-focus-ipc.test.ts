/** The desk's "bring the window up" channel: only the app's own page in its own window, bounded bursts. */
import { describe, expect, it } from 'vitest'
import { IPC_CHANNELS } from '../../shared/contract'
import { IpcMainDouble, SessionDouble, WebContentsDouble } from './test-support/electron-double'
import { registerFocusIpc } from './window-focus-ipc'

const PAGE = 'http://127.0.0.1:4100/'

function setup() {
  const ipcMain = new IpcMainDouble()
  const own = new WebContentsDouble(1, new SessionDouble())
  const other = new WebContentsDouble(2, new SessionDouble())
  const warnings: string[] = []
  let focused = 0
  let now = 10_000
  const dispose = registerFocusIpc({
    ipcMain,
    isTrustedSender: (id) => id === own.id,
    isOwnPage: (url) => url.startsWith(PAGE),
    focus: () => focused++,
    log: { warn: (_obj, msg) => void warnings.push(msg) },
    minIntervalMs: 1000,
    now: () => now,
  })
  const send = (
    sender: WebContentsDouble,
    frame: { url: string; parent?: unknown } | null,
    ...args: unknown[]
  ) => ipcMain.send(sender, frame, IPC_CHANNELS.focusWindow, ...args)
  return {
    ipcMain,
    own,
    other,
    warnings,
    focused: () => focused,
    advance: (ms: number) => (now += ms),
    send,
    dispose,
  }
}

describe('window focus IPC', () => {
  it('brings the window up for its own page, at most once a second', () => {
    const s = setup()
    s.send(s.own, { url: `${PAGE}#/events` })
    expect(s.focused()).toBe(1)
    s.send(s.own, { url: `${PAGE}#/events` })
    expect(s.focused()).toBe(1)
    s.advance(1000)
    s.send(s.own, { url: PAGE })
    expect(s.focused()).toBe(2)
  })

  it('refuses other windows, foreign pages, child frames and arguments', () => {
    const s = setup()
    s.send(s.other, { url: PAGE })
    s.send(s.own, { url: 'https://example.com/' })
    s.send(s.own, { url: PAGE, parent: { url: PAGE } })
    s.send(s.own, null)
    s.send(s.own, { url: PAGE }, 'extra')
    expect(s.focused()).toBe(0)
    expect(s.warnings).toContain('IPC refused: not a window of this app')
    expect(s.warnings.filter((w) => w === 'IPC refused')).toHaveLength(4)
  })

  it('stops listening when disposed', () => {
    const s = setup()
    s.dispose()
    s.send(s.own, { url: PAGE })
    expect(s.focused()).toBe(0)
    expect(s.ipcMain.listeners.has(IPC_CHANNELS.focusWindow)).toBe(false)
  })
})

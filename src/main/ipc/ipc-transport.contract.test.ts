/**
 * The IPC transport over the real preload bridge and the real main-side registration (guard, dispatcher,
 * live bridge), joined by a fake IPC pair: the station is called in-process, never over a socket.
 */
import { afterAll } from 'vitest'
import { createBridge } from '../../preload/bridge'
import { transportContract } from '../../renderer/src/transport/contract-suite'
import { IpcTransport } from '../../renderer/src/transport/ipc'
import { fakeElectron } from './fake-electron.test-support'
import { stationHarness } from './harness.test-support'
import { registerStationIpc } from './register'

const PAGE = 'http://127.0.0.1:8787/'
const disposers: (() => void)[] = []
afterAll(() => disposers.forEach((d) => d()))

transportContract('ipc', () =>
  stationHarness(async (station) => {
    const page = fakeElectron(PAGE)
    disposers.push(
      registerStationIpc({
        ipcMain: page.ipcMain,
        app: station.app,
        isOwnPage: (url) => url.startsWith('http://127.0.0.1:8787/'),
      }),
    )
    const bridge = createBridge(page.ipcRenderer)
    return () => new IpcTransport(bridge, { initialMs: 50, maxMs: 200 })
  }),
)

/**
 * The preload: exposes a small, named API to the sandboxed page through contextBridge
 * (`window.station`, see ./bridge). Nothing else crosses; the page never sees ipcRenderer.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { createBridge } from './bridge'

contextBridge.exposeInMainWorld('station', createBridge(ipcRenderer))

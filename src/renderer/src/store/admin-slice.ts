/**
 * What admins manage: cameras, areas, devices, users and the site device key. Each action answers its
 * form with the value or the station's message, and keeps the lists in step.
 */
import type {
  AdminCamera,
  AreaInput,
  AreaUpdate,
  CameraInput,
  CameraUpdate,
  DeviceKey,
  DeviceToken,
  DeviceUpdate,
  UserCreate,
  UserUpdate,
} from '../../../shared/contract'
import type { Area, Device, User } from '../../../shared/schemas/entities'
import { NO_ARGS } from '../transport/types'
import { attempt, type ActionResult } from './result'
import { errorMessage, type Slice, type StoreDeps } from './types'

export interface AdminData {
  areas: Area[]
  users: User[]
  deviceKey: DeviceKey | null
  adminError: string | null
}

export interface AdminSlice extends AdminData {
  loadAreas(): Promise<void>
  loadUsers(): Promise<void>
  loadDeviceKey(): Promise<void>
  createCamera(input: CameraInput): Promise<ActionResult<AdminCamera>>
  updateCamera(input: CameraUpdate): Promise<ActionResult<AdminCamera>>
  deleteCamera(id: number): Promise<ActionResult<unknown>>
  createArea(input: AreaInput): Promise<ActionResult<Area>>
  updateArea(input: AreaUpdate): Promise<ActionResult<Area>>
  deleteArea(id: number): Promise<ActionResult<unknown>>
  updateDevice(input: DeviceUpdate): Promise<ActionResult<Device>>
  deleteDevice(id: string): Promise<ActionResult<unknown>>
  issueDeviceToken(id: string): Promise<ActionResult<DeviceToken>>
  revokeDeviceToken(id: string): Promise<ActionResult<unknown>>
  createUser(input: UserCreate): Promise<ActionResult<User>>
  updateUser(input: UserUpdate): Promise<ActionResult<User>>
  deleteUser(id: number): Promise<ActionResult<unknown>>
  rotateDeviceKey(): Promise<ActionResult<DeviceKey>>
  /** Forgets every loaded list (sign-out): the next user loads their own. */
  resetData(): void
}

export const ADMIN_INITIAL: AdminData = { areas: [], users: [], deviceKey: null, adminError: null }

export const createAdminSlice =
  (deps: StoreDeps, initialData: () => object): Slice<AdminSlice> =>
  (set, get) => {
    const t = deps.transport
    const reportLoad = async (run: () => Promise<void>) => {
      try {
        await run()
      } catch (err) {
        set({ adminError: errorMessage(err) })
      }
    }
    return {
      ...ADMIN_INITIAL,

      loadAreas: () =>
        reportLoad(async () => {
          set({ areas: await t.request('areas:list', NO_ARGS) })
        }),
      loadUsers: () =>
        reportLoad(async () => {
          set({ users: await t.request('users:list', NO_ARGS) })
        }),
      loadDeviceKey: () =>
        reportLoad(async () => {
          set({ deviceKey: await t.request('settings:deviceKey', NO_ARGS) })
        }),

      async createCamera(input) {
        const res = await attempt(() => t.request('cameras:create', input))
        if (res.ok) get().cameraSaved(res.value)
        return res
      },
      async updateCamera(input) {
        const res = await attempt(() => t.request('cameras:update', input))
        if (res.ok) get().cameraSaved(res.value)
        return res
      },
      async deleteCamera(id) {
        const res = await attempt(() => t.request('cameras:delete', { id }))
        if (res.ok) get().cameraRemoved(id)
        return res
      },

      async createArea(input) {
        const res = await attempt(() => t.request('areas:create', input))
        if (res.ok) set({ areas: [...get().areas, res.value] })
        return res
      },
      async updateArea(input) {
        const res = await attempt(() => t.request('areas:update', input))
        if (res.ok) set({ areas: get().areas.map((a) => (a.id === input.id ? res.value : a)) })
        return res
      },
      async deleteArea(id) {
        const res = await attempt(() => t.request('areas:delete', { id }))
        if (res.ok) {
          set({ areas: get().areas.filter((a) => a.id !== id) })
          // Cameras and devices of the area lose it: reload them.
          void get().loadCameras()
          void get().loadDevices()
        }
        return res
      },

      async updateDevice(input) {
        const res = await attempt(() => t.request('devices:update', input))
        if (res.ok) get().deviceSaved(res.value)
        return res
      },
      async deleteDevice(id) {
        const res = await attempt(() => t.request('devices:delete', { id }))
        if (res.ok) get().deviceRemoved(id)
        return res
      },
      async issueDeviceToken(id) {
        const res = await attempt(() => t.request('devices:issueToken', { id }))
        if (res.ok) void get().loadDevice(id)
        return res
      },
      async revokeDeviceToken(id) {
        const res = await attempt(() => t.request('devices:revokeToken', { id }))
        if (res.ok) void get().loadDevice(id)
        return res
      },

      async createUser(input) {
        const res = await attempt(() => t.request('users:create', input))
        if (res.ok) set({ users: [...get().users, res.value] })
        return res
      },
      async updateUser(input) {
        const res = await attempt(() => t.request('users:update', input))
        if (res.ok) set({ users: get().users.map((u) => (u.id === input.id ? res.value : u)) })
        return res
      },
      async deleteUser(id) {
        const res = await attempt(() => t.request('users:delete', { id }))
        if (res.ok) set({ users: get().users.filter((u) => u.id !== id) })
        return res
      },

      async rotateDeviceKey() {
        const res = await attempt(() => t.request('settings:rotateDeviceKey', NO_ARGS))
        if (res.ok) set({ deviceKey: res.value })
        return res
      },

      resetData: () => set(initialData()),
    }
  }

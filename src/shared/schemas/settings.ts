/** The site key devices present in x-device-key: `/api/settings/device-key` (station settings: station-settings.ts). */
import { Type, type Static } from '@sinclair/typebox'
import { DEVICE_KEY_HEADER } from '../constants'

export const DeviceKey = Type.Object({
  deviceKey: Type.String(),
  header: Type.Literal(DEVICE_KEY_HEADER),
  source: Type.Union([Type.Literal('environment'), Type.Literal('station')], {
    description: 'environment: set by STATION_DEVICE_KEY (rotate it there); station: generated and stored',
  }),
})
export type DeviceKey = Static<typeof DeviceKey>

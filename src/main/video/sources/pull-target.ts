/** Where a pull camera (MJPEG, snapshot) is reached: its URL and credentials, from the relay view. */
import type { RelayCamera } from '../../cameras/views'
import { splitCameraUrl } from '../camera-http'
import type { Credentials } from '../http-auth'
import { SourceUnavailableError } from './registry'

export function pullTarget(camera: RelayCamera): { url: URL; creds: Credentials | undefined } {
  if (!camera.url) throw new SourceUnavailableError('camera URL unusable: no URL configured')
  try {
    return splitCameraUrl(camera.url, camera.username, camera.password)
  } catch (err) {
    throw new SourceUnavailableError(
      `camera URL unusable: ${err instanceof Error ? err.message : String(err)}`,
    )
  }
}

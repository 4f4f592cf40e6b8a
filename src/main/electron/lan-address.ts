/**
 * The address devices on the LAN use to reach the station, for the tray: a station bound to every
 * interface (0.0.0.0) is shown with this computer's first LAN IPv4 address rather than 127.0.0.1.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'

export function lanUrl(
  host: string,
  localUrl: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string {
  if (host !== '0.0.0.0' && host !== '::') return localUrl
  const lan = Object.values(interfaces)
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)
  if (!lan) return localUrl
  const u = new URL(localUrl)
  u.hostname = lan.address
  return u.origin
}

/**
 * The recordings volume's size and free space, from `fs.statfs` (one cheap call on libuv's pool). Tests
 * inject their own function to play a nearly full disk.
 */
import { statfs } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { dirname } from 'node:path'

export interface VolumeSpace {
  totalBytes: number
  /** Free to an unprivileged writer (`bavail`), which is what the recorder is. */
  freeBytes: number
}

export type VolumeCheck = () => Promise<VolumeSpace>

/** Checks the volume holding `path` (its nearest existing ancestor while the folder does not exist yet). */
export function statfsVolume(path: string): VolumeCheck {
  return async () => {
    let at = path
    while (!existsSync(at) && dirname(at) !== at) at = dirname(at)
    const s = await statfs(at)
    return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize }
  }
}

/** The source kinds the station relays: one line per kind (see ./registry.ts). */
import { SourceRegistry } from './registry'
import { PushSource } from './push-source'
import { mjpegSource } from './mjpeg-source'
import { snapshotSource } from './snapshot-source'
import { rtspSource } from './rtsp-source'

export function builtInSources(): SourceRegistry {
  return new SourceRegistry()
    .register('push', () => new PushSource())
    .register('mjpeg', mjpegSource)
    .register('snapshot', snapshotSource)
    .register('rtsp', rtspSource)
}

export {
  SourceRegistry,
  SourceUnavailableError,
  sourceEnv,
  type SourceEnv,
  type SourceFactory,
} from './registry'

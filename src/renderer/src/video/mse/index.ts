/**
 * Live H.264 video through Media Source Extensions, for camera tiles: `createMseStream` (the station's
 * `/ws/stream/:id` fMP4 protocol, visibility, reconnects) around `createLivePlayer` (a <video> fed with init
 * segments and fragments). See docs/ARCHITECTURE.md (renderer).
 */
export { createLivePlayer } from './live-player'
export type { LivePlayer, LivePlayerOptions, LivePlayerStats, PlayerMode, PlayerStatus } from './live-player'
export { createMseStream } from './mse-stream'
export type { MseStream, MseStreamOptions, MseStreamStats, MseStreamStatus, SocketState } from './mse-stream'
export { canPlay, codecName, unsupportedMessage } from './codecs'
export { watchVisibility } from './visibility'

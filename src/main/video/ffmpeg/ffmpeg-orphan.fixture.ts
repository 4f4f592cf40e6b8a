/**
 * Test fixture (not a test): a stand-in station process that runs ffmpeg through FfmpegProcess, prints
 * ffmpeg's pid once fragments flow, then idles until it is killed. ffmpeg-orphan.test.ts kills it with
 * SIGKILL and watches ffmpeg. Argument: JSON { cameraUrl, viaProxy, timeoutMs }.
 */
import { FfmpegProcess } from './ffmpeg-process'
import { RtspAuthProxy } from './rtsp-auth-proxy'
import { rtspRemuxArgs } from './rtsp-remux-args'

const config = JSON.parse(process.argv[2] ?? '{}') as {
  cameraUrl: string
  viaProxy: boolean
  timeoutMs: number
}
let url = config.cameraUrl
if (config.viaProxy) url = (await RtspAuthProxy.start({ cameraUrl: config.cameraUrl })).lease().url
let told = false
const proc = FfmpegProcess.start(
  { ffmpegPath: 'ffmpeg', args: rtspRemuxArgs({ url, timeoutMs: config.timeoutMs }), output: 'fmp4' },
  {
    fragment: () => {
      if (told) return
      told = true
      process.stdout.write(`${JSON.stringify({ ffmpegPid: proc.pid })}\n`)
    },
    exit: (exit) => process.stdout.write(`${JSON.stringify({ exit })}\n`),
  },
)
setInterval(() => {}, 60_000)

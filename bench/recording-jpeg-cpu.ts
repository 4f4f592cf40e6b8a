/**
 * CPU of one JPEG camera's recording encoder (src/main/recording/jpeg-to-h264.ts): simulated 640x480
 * JPEGs at `fps` for `seconds`, ffmpeg's CPU time read from /proc (Linux).
 * `npx tsx bench/recording-jpeg-cpu.ts [fps=10] [seconds=30]`
 */
import { readFileSync } from 'node:fs'
import { JpegToH264 } from '../src/main/recording/jpeg-to-h264'
import { sharedSimFrames } from '../src/main/video/sim/frames'

async function main() {
  const fps = Number(process.argv[2] ?? 10)
  const seconds = Number(process.argv[3] ?? 30)
  const frames = sharedSimFrames()
  let out = 0
  const enc = new JpegToH264(process.env.STATION_FFMPEG ?? 'ffmpeg', fps, {
    init: () => undefined,
    video: () => void out++,
    ended: () => undefined,
  })
  const ticks = (pid: number) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return Number(f[11]) + Number(f[12])
  }
  let seq = 0
  const push = () =>
    enc.push({
      kind: 'jpeg',
      data: frames.frame(seq++, Date.now(), 'cpu'),
      seq,
      receivedAt: performance.now(),
      wallAt: Date.now(),
    })
  push()
  await new Promise((r) => setTimeout(r, 2000))
  const pid = enc.pid!
  const t0 = ticks(pid)
  const w0 = Date.now()
  const n0 = out
  const timer = setInterval(push, 1000 / fps)
  await new Promise((r) => setTimeout(r, seconds * 1000))
  const cpu = (ticks(pid) - t0) / 100
  const wall = (Date.now() - w0) / 1000
  clearInterval(timer)
  const share = ((cpu / wall) * 100).toFixed(1)
  console.log(
    `${fps} fps: ffmpeg ${share}% of one core over ${wall.toFixed(0)} s, ${out - n0} fragments, ${enc.dropped} dropped`,
  )
  await enc.close()
}

void main()

import { describe, expect, it } from 'vitest'
import type { Fragment, InitSegment } from '../fmp4/splitter'
import { FfmpegProcess, type FfmpegProcessOptions } from './ffmpeg-process'
import type { FfmpegProblem } from './stderr-reasons'
import { createRedactor } from './stderr-reasons'
import { FMP4_OUTPUT_ARGS, GLOBAL_ARGS } from './rtsp-remux-args'

/** A stand-in child: Node running `script` (to script stderr, stdout and signals exactly). */
const node = (script: string): Pick<FfmpegProcessOptions, 'ffmpegPath' | 'args'> => ({
  ffmpegPath: process.execPath,
  args: ['-e', script],
})

function start(options: Partial<FfmpegProcessOptions> & Pick<FfmpegProcessOptions, 'ffmpegPath' | 'args'>) {
  const got = {
    inits: [] as InitSegment[],
    fragments: [] as Fragment[],
    problems: [] as FfmpegProblem[],
    log: [] as string[],
  }
  const proc = FfmpegProcess.start(
    { output: 'fmp4', log: (l) => got.log.push(l), ...options },
    {
      init: (i) => got.inits.push(i),
      fragment: (f) => got.fragments.push(f),
      problem: (p) => got.problems.push(p),
    },
  )
  return { proc, got }
}

describe('FfmpegProcess', () => {
  it('hands out the init segment and fragments of a real ffmpeg, and ends with "ended"', async () => {
    const { proc, got } = start({
      ffmpegPath: 'ffmpeg',
      args: [
        ...GLOBAL_ARGS,
        ...['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25', '-t', '1'],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '5', '-pix_fmt', 'yuv420p'],
        ...FMP4_OUTPUT_ARGS,
      ],
    })
    const exit = await proc.exited
    expect(exit).toMatchObject({ code: 0, signal: null, reason: 'ended', problem: null })
    expect(got.inits).toHaveLength(1)
    expect(got.fragments).toHaveLength(25)
    expect(got.fragments.filter((f) => f.keyframe)).toHaveLength(5)
    expect(proc.stats()).toMatchObject({ fragments: 25 })
    expect(proc.stats().lastOutputAt).not.toBeNull()
  })

  it('writes its input to stdin, then closes it, and hands raw output out as it comes', async () => {
    const chunks: Buffer[] = []
    const proc = FfmpegProcess.start(
      {
        ...node('process.stdin.pipe(process.stdout)'),
        output: 'raw',
        input: [Buffer.from('ftyp'), Buffer.from('moof')],
      },
      { data: (c) => chunks.push(c) },
    )
    expect(await proc.exited).toMatchObject({ code: 0, reason: 'ended' })
    expect(Buffer.concat(chunks).toString()).toBe('ftypmoof')
  })

  it('stops with SIGTERM, and with SIGKILL after the grace when SIGTERM is ignored', async () => {
    const polite = start({ ...node('setInterval(() => {}, 1000)') })
    await new Promise((r) => setTimeout(r, 200))
    expect(await polite.proc.stop()).toMatchObject({ signal: 'SIGTERM', reason: 'stopped' })

    const stubborn = start({
      ...node(
        "process.on('SIGTERM', () => process.stderr.write('[error] Immediate exit requested\\n')); setInterval(() => {}, 1000)",
      ),
      stopGraceMs: 300,
    })
    await new Promise((r) => setTimeout(r, 300))
    const t0 = Date.now()
    const exit = await stubborn.proc.stop()
    expect(exit).toMatchObject({ signal: 'SIGKILL', reason: 'stopped', problem: null })
    expect(Date.now() - t0).toBeLessThan(2000)
    // What the process says while being stopped is not reported as the camera's problem.
    expect(stubborn.got.problems).toEqual([])
    expect(await stubborn.proc.stop()).toBe(exit)
  })

  it('explains the exit from the most telling problem on stderr, redacted, even with exit code 0', async () => {
    const { proc, got } = start({
      ...node(
        [
          "process.stderr.write('[warning] RTP: missed 3 packets\\n')",
          "process.stderr.write('[tcp @ 0x1] [error] Connection to tcp://admin:hunter22@cam:554 failed: Connection refused\\n')",
          "process.stderr.write('[error] Invalid data found when processing input\\n')",
        ].join(';'),
      ),
      redact: createRedactor({ username: 'admin', password: 'hunter22' }),
    })
    const exit = await proc.exited
    expect(exit).toMatchObject({ code: 0, reason: 'unreachable' })
    expect(exit.message).toMatch(/connection refused/)
    expect(got.problems.map((p) => [p.reason, p.fatal])).toEqual([
      ['bad-stream', false],
      ['unreachable', true],
      ['bad-stream', true],
    ])
    expect(got.log.join('\n')).not.toContain('hunter22')
    expect(exit.problem?.detail).toContain('tcp://***@cam:554')
  })

  it('bounds stderr lines and buffering', async () => {
    const { proc, got } = start({
      ...node(
        "process.stderr.write('x'.repeat(1 << 20)); process.stderr.write('\\n[error] method DESCRIBE failed: 401 Unauthorized\\n')",
      ),
      maxLineLength: 100,
    })
    const exit = await proc.exited
    expect(exit.reason).toBe('auth-failed')
    expect(got.log[0]).toHaveLength(101)
    expect(got.log).toHaveLength(2)
  })

  it('stops a child whose output is not fMP4 (bad-stream), reports a failed spawn, a crash and an odd exit', async () => {
    const garbage = start({
      ...node(
        "process.stdout.write(Buffer.from('\\0\\0\\0\\x10junkjunkjunkjunk')); setInterval(() => {}, 1000)",
      ),
    })
    const g = await garbage.proc.exited
    expect(g).toMatchObject({ reason: 'bad-stream', signal: 'SIGTERM' })
    expect(g.problem?.detail).toBe('unknown top-level box "junk"')

    expect(await start({ ffmpegPath: '/nonexistent/ffmpeg', args: [] }).proc.exited).toMatchObject({
      reason: 'spawn-failed',
      code: null,
    })
    expect(await start(node("process.kill(process.pid, 'SIGSEGV')")).proc.exited).toMatchObject({
      reason: 'crashed',
      signal: 'SIGSEGV',
    })
    const odd = await start(node("process.stderr.write('[error] something odd\\n'); process.exit(3)")).proc
      .exited
    expect(odd).toMatchObject({ reason: 'other', code: 3, message: 'ffmpeg: something odd' })
    const silent = await start(node('process.exit(5)')).proc.exited
    expect(silent).toMatchObject({ reason: 'other', message: 'ffmpeg exited with code 5' })
  })

  it('hands raw stdout out as it comes', async () => {
    const chunks: Buffer[] = []
    const proc = FfmpegProcess.start(
      { ...node("process.stdout.write('hello')"), output: 'raw' },
      { data: (d) => chunks.push(d) },
    )
    expect((await proc.exited).reason).toBe('ended')
    expect(Buffer.concat(chunks).toString()).toBe('hello')
  })
})

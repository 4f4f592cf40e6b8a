/**
 * CPU and memory of a process and its children, read from Linux's /proc: utime+stime of
 * /proc/<pid>/stat (clock ticks) and VmRSS of /proc/<pid>/status, children found by their parent pid.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** USER_HZ: 100 on every Linux the station runs on (`getconf CLK_TCK`). */
const TICKS_PER_S = 100

interface Stat {
  pid: number
  comm: string
  ppid: number
  /** utime + stime, seconds. */
  cpuS: number
}

function stat(pid: number): Stat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name is in parentheses and may hold spaces: fields are counted after its end.
    const close = s.lastIndexOf(')')
    const f = s.slice(close + 2).split(' ')
    return {
      pid,
      comm: s.slice(s.indexOf('(') + 1, close),
      ppid: Number(f[1]),
      cpuS: (Number(f[11]) + Number(f[12])) / TICKS_PER_S,
    }
  } catch {
    return undefined
  }
}

/** A process's name and start time: the same pid later is another process if this changes. */
export function identity(pid: number): string | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const close = s.lastIndexOf(')')
    return `${s.slice(s.indexOf('(') + 1, close)}:${s.slice(close + 2).split(' ')[19]}`
  } catch {
    return undefined
  }
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : 0
  } catch {
    return 0
  }
}

/** Proportional set size: shared pages (the ffmpeg binary and libraries) split among their users. */
function pssMb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
    return m ? Number(m[1]) / 1024 : 0
  } catch {
    return 0
  }
}

export function childrenOf(ppid: number, comm?: string): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const s = stat(Number(name))
    if (s && s.ppid === ppid && (comm === undefined || s.comm === comm)) out.push(s.pid)
  }
  return out
}

export interface TreeSample {
  at: number
  /** CPU seconds so far: the process, and each child by pid. */
  mainCpuS: number
  childCpuS: Map<number, number>
  mainRssMb: number
  /** The children's proportional set size, summed. */
  childPssMb: number
}

/** One reading of the station process and its ffmpeg children. */
export function sampleTree(pid: number, childComm = 'ffmpeg'): TreeSample {
  const kids = childrenOf(pid, childComm)
  const childCpuS = new Map<number, number>()
  for (const k of kids) {
    const s = stat(k)
    if (s) childCpuS.set(k, s.cpuS)
  }
  return {
    at: performance.now(),
    mainCpuS: stat(pid)?.cpuS ?? NaN,
    childCpuS,
    mainRssMb: rssMb(pid),
    childPssMb: kids.reduce((n, k) => n + pssMb(k), 0),
  }
}

export interface TreeCpu {
  /** % of one core over the interval. */
  mainPercent: number
  childPercent: number
  /** Children alive at both ends (counted), and those that came or went (their CPU is partly missing). */
  children: number
  churn: number
}

export function cpuBetween(a: TreeSample, b: TreeSample): TreeCpu {
  const s = (b.at - a.at) / 1000
  let child = 0
  let both = 0
  for (const [pid, cpu] of b.childCpuS) {
    const before = a.childCpuS.get(pid)
    if (before === undefined) continue
    child += cpu - before
    both++
  }
  const churn = b.childCpuS.size + a.childCpuS.size - 2 * both
  return {
    mainPercent: ((b.mainCpuS - a.mainCpuS) / s) * 100,
    childPercent: (child / s) * 100,
    children: both,
    churn,
  }
}

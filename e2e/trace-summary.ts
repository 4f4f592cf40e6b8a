/**
 * Where the page's threads spend their time, from a Chromium trace (`browser.startTracing`): CPU time
 * and self CPU time per trace event name (Paint, Layout, FunctionCall, ...) on the renderer's main
 * thread, the compositor and the video worker. For the UI measurements; not a test.
 */
interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  /** Thread (CPU) time of the event, when the trace has it. */
  tdur?: number
  pid: number
  tid: number
  args?: { name?: string }
}

export interface ThreadSummary {
  thread: string
  /** Wall time of its top-level tasks, ms (on a loaded machine this includes waiting for a core). */
  busyMs: number
  /** CPU time of its top-level tasks, ms. */
  cpuMs: number
  /** Self CPU time per event name, ms, largest first. */
  top: [string, number][]
}

/** Sums self time per event name for the renderer threads named in `threads`. */
export function summarizeTrace(
  json: string,
  threads = ['CrRendererMain', 'Compositor', 'CompositorTileWorker1', 'DedicatedWorker thread'],
): ThreadSummary[] {
  const events = (JSON.parse(json) as { traceEvents: TraceEvent[] }).traceEvents
  const names = new Map<string, string>()
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(`${e.pid}:${e.tid}`, e.args.name)
  }
  const byThread = new Map<string, TraceEvent[]>()
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue
    const key = `${e.pid}:${e.tid}`
    const list = byThread.get(key) ?? []
    list.push(e)
    byThread.set(key, list)
  }
  const out: ThreadSummary[] = []
  for (const [key, list] of byThread) {
    const thread = names.get(key) ?? key
    if (!threads.some((t) => thread.startsWith(t))) continue
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
    const self = new Map<string, number>()
    const stack: { end: number; name: string }[] = []
    let busy = 0
    let cpu = 0
    for (const e of list) {
      const t = e.tdur ?? e.dur!
      while (stack.length && stack[stack.length - 1]!.end <= e.ts) stack.pop()
      const parent = stack[stack.length - 1]
      if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - t)
      else {
        busy += e.dur!
        cpu += t
      }
      self.set(e.name, (self.get(e.name) ?? 0) + t)
      stack.push({ end: e.ts + e.dur!, name: e.name })
    }
    const top = [...self]
      .map(([n, us]): [string, number] => [n, us / 1000])
      .filter(([, v]) => v >= 1)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
    if (cpu >= 1000) out.push({ thread, busyMs: busy / 1000, cpuMs: cpu / 1000, top })
  }
  return out.sort((a, b) => b.cpuMs - a.cpuMs)
}

export function formatSummary(s: ThreadSummary[], seconds: number): string[] {
  return s.flatMap((t) => [
    `  ${t.thread}: CPU ${t.cpuMs.toFixed(0)} ms in ${seconds} s (${((t.cpuMs / (seconds * 1000)) * 100).toFixed(0)} %), ` +
      `tasks' wall time ${t.busyMs.toFixed(0)} ms`,
    ...t.top.map(([n, ms]) => `    ${n}: ${ms.toFixed(0)} ms`),
  ])
}

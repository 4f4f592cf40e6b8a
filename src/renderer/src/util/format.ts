/** Formatting for a control room: short, unambiguous, readable at arm's length. */

export function clockTime(ts: number): string {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

export function dateTime(ts: number): string {
  return new Date(ts).toLocaleString([], {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
}

/** "12 s ago", "5 min ago", "3 h ago", or a date for older times. */
export function ago(ts: number | null | undefined, now: number): string {
  if (ts === null || ts === undefined) return 'never'
  const s = Math.max(0, Math.round((now - ts) / 1000))
  if (s < 5) return 'just now'
  if (s < 60) return `${s} s ago`
  const m = Math.round(s / 60)
  if (m < 60) return `${m} min ago`
  const h = Math.round(m / 60)
  if (h < 24) return `${h} h ago`
  return dateTime(ts)
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1_048_576) return `${(n / 1024).toFixed(1)} KiB`
  if (n < 1_073_741_824) return `${(n / 1_048_576).toFixed(1)} MiB`
  return `${(n / 1_073_741_824).toFixed(2)} GiB`
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`
}

export function ms(n: number): string {
  return n < 10 ? `${n.toFixed(2)} ms` : `${Math.round(n)} ms`
}

export function reading(value: number, unit: string): string {
  const abs = Math.abs(value)
  const v =
    abs >= 1000 || Number.isInteger(value)
      ? String(Math.round(value * 100) / 100)
      : value.toFixed(abs < 10 ? 2 : 1)
  return unit ? `${v} ${unit}` : v
}

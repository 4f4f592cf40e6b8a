/**
 * Whether an element can be seen: on screen (IntersectionObserver) and in a visible window
 * (document.visibilityState; hidden when minimised or in a background tab). Reports the first answer as
 * soon as it is known, showing at once, and hiding after `hideDelayMs` (a tile scrolled past quickly, a
 * short switch of windows, keeps its stream).
 */

export interface VisibilityOptions {
  hideDelayMs?: number
  /** The scrolling ancestor to observe against (default: the viewport). */
  root?: Element | null
}

/** Calls `onChange` with each change of visibility; returns the function that stops watching. */
export function watchVisibility(
  el: Element,
  onChange: (visible: boolean) => void,
  o: VisibilityOptions = {},
): () => void {
  let intersecting: boolean | null = typeof IntersectionObserver === 'undefined' ? true : null
  let reported: boolean | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  const cancel = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  const report = (v: boolean) => {
    cancel()
    reported = v
    onChange(v)
  }
  const update = () => {
    if (intersecting === null) return
    const visible = intersecting && document.visibilityState !== 'hidden'
    if (visible === reported) return cancel()
    if (visible || reported === null || !o.hideDelayMs) return report(visible)
    timer ??= setTimeout(() => report(false), o.hideDelayMs)
  }
  const io =
    typeof IntersectionObserver === 'undefined'
      ? null
      : new IntersectionObserver(
          (entries) => {
            const last = entries[entries.length - 1]
            if (last) intersecting = last.isIntersecting
            update()
          },
          { root: o.root ?? null },
        )
  io?.observe(el)
  document.addEventListener('visibilitychange', update)
  update()
  return () => {
    cancel()
    io?.disconnect()
    document.removeEventListener('visibilitychange', update)
  }
}

/**
 * `shell.openExternal` only for http(s) URLs the app built itself (menu and tray items: the station in
 * a browser, its API document). A page cannot add to the list: anything it asks to open is refused.
 */
export interface ExternalLinks {
  /** Records a URL the app built and returns it; refuses anything but http(s). */
  build(url: string): string
  /** Opens a recorded URL in the default browser; false (and nothing opened) for any other. */
  open(url: string): Promise<boolean>
  isAllowed(url: string): boolean
}

const MAX_LINKS = 100

function normalize(url: string): string | undefined {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined
  } catch {
    return undefined
  }
}

export function createExternalLinks(
  shell: { openExternal(url: string): Promise<void> },
  log: { warn(obj: object, msg: string): void } = { warn: () => {} },
): ExternalLinks {
  const allowed = new Set<string>()
  const isAllowed = (url: string) => {
    const n = normalize(url)
    return n !== undefined && allowed.has(n)
  }
  return {
    build(url) {
      const n = normalize(url)
      if (!n) throw new Error(`only http(s) links open outside the app: ${url}`)
      if (allowed.size >= MAX_LINKS && !allowed.has(n)) allowed.delete(allowed.values().next().value!)
      allowed.add(n)
      return n
    },
    isAllowed,
    async open(url) {
      if (!isAllowed(url)) {
        log.warn({ url: String(url).slice(0, 200) }, 'refused to open a link the app did not build')
        return false
      }
      await shell.openExternal(normalize(url)!)
      return true
    },
  }
}

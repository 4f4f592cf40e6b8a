/**
 * The app's own pages. The window loads the renderer from the station it runs in-process
 * (`http://127.0.0.1:PORT/`): the renderer's video tiles and stream tokens address the station by
 * the page's own origin, and the page's files are the app's own build, served by the station from the
 * app's folder. Until the station listens there is no own page: everything is refused.
 */
export interface AppOrigin {
  /** `http://host:port`, or '' before the station listens. */
  readonly origin: string
  /** Sets the origin from the station's URL once it listens. */
  set(stationUrl: string): void
  /** The app page, optionally on one of the renderer's screens (`#/events`). */
  pageUrl(view?: string): string
  /** The app page itself: same origin, the root path (any hash); what may call IPC and be navigated to. */
  isOwnPage(url: string): boolean
  /** Anything served by the station (pages, API, assets). */
  isOwnOrigin(url: string): boolean
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

export function createAppOrigin(): AppOrigin {
  let origin = ''
  return {
    get origin() {
      return origin
    },
    set(stationUrl) {
      const u = parse(stationUrl)
      if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
        throw new Error(`not a station URL: ${stationUrl}`)
      }
      origin = u.origin
    },
    pageUrl(view) {
      if (!origin) throw new Error('the station is not listening yet')
      return `${origin}/${view ? `#/${encodeURIComponent(view)}` : ''}`
    },
    isOwnPage(url) {
      const u = parse(url)
      return !!origin && !!u && u.origin === origin && (u.pathname === '/' || u.pathname === '/index.html')
    },
    isOwnOrigin(url) {
      const u = parse(url)
      return !!origin && !!u && u.origin === origin
    },
  }
}

/** Pulls `multipart/x-mixed-replace` from an MJPEG camera over one long HTTP(S) response. */
import { CameraHttp, CameraRequestError, type CameraHttpOptions } from '../camera-http'
import type { Credentials } from '../http-auth'
import { MultipartJpegParser, boundaryOf } from '../multipart-parser'
import { PullSource, type PullTimings } from './pull-source'
import { pullTarget } from './pull-target'
import type { SourceFactory } from './registry'
import type { SourceSink } from './source'

export const mjpegSource: SourceFactory = (camera, sink, env) => {
  const { url, creds } = pullTarget(camera)
  return new MjpegSource(url, creds, env.maxFrameBytes, env.http, sink, env.timings)
}

export class MjpegSource extends PullSource {
  readonly kind = 'mjpeg' as const
  readonly media = 'jpeg' as const
  private readonly http: CameraHttp

  constructor(
    url: URL,
    creds: Credentials | undefined,
    private readonly maxFrameBytes: number,
    http: Omit<CameraHttpOptions, 'keepAlive' | 'accept'>,
    sink: SourceSink,
    timings: PullTimings,
  ) {
    super(sink, timings)
    this.http = new CameraHttp(url, creds, {
      ...http,
      keepAlive: false,
      accept: 'multipart/x-mixed-replace, */*',
    })
  }

  protected async attempt(isCurrent: () => boolean): Promise<void> {
    const res = await this.http.open()
    if (!isCurrent()) {
      res.destroy()
      return
    }
    const type = res.headers['content-type'] ?? ''
    if (!/^multipart\//i.test(type)) {
      res.destroy()
      throw new CameraRequestError(
        /^image\/jpe?g/i.test(type)
          ? 'camera sent a single JPEG, not an MJPEG stream (use the snapshot kind for this URL)'
          : `not an MJPEG stream (Content-Type ${type.slice(0, 60) || 'missing'})`,
      )
    }
    const boundary = boundaryOf(type)
    if (!boundary) {
      res.destroy()
      throw new CameraRequestError('MJPEG stream without a boundary in its Content-Type')
    }
    this.openConnections = 1
    this.markConnected()
    let lastProblem = ''
    const parser = new MultipartJpegParser(boundary, this.maxFrameBytes, {
      frame: (data) => {
        watchdog.refresh()
        this.gotFrame()
        this.sink.jpeg(data)
      },
      problem: (message) => {
        lastProblem = message
        this.sink.problem(message)
      },
    })
    const timeoutMs = this.timings.frameTimeoutMs
    const watchdog = setTimeout(() => {
      const why =
        parser.garbageBytes > 0 || lastProblem
          ? ` (${lastProblem || `${parser.garbageBytes} bytes of garbage`})`
          : ''
      res.destroy(new CameraRequestError(`no valid frame for ${timeoutMs / 1000} s${why}`))
    }, timeoutMs)
    try {
      await new Promise<void>((_resolve, reject) => {
        res.on('data', (chunk: Buffer) => parser.push(chunk))
        res.once('end', () => reject(new CameraRequestError('camera closed the stream')))
        res.once('error', reject)
        res.once('close', () => reject(new CameraRequestError('camera closed the stream')))
      })
    } finally {
      clearTimeout(watchdog)
      this.openConnections = 0
      res.destroy()
    }
  }

  protected abortAttempt(reason: string): void {
    this.http.abort(reason)
    if (reason === 'stopped') this.http.close()
  }

  protected nextDelayAfterSuccess(): number | null {
    return null
  }
}

/** Polls a camera's JPEG URL at the camera's frame rate, over one kept-alive connection. */
import type { IncomingMessage } from 'node:http'
import { jpegProblem } from '../jpeg'
import { CameraHttp, CameraRequestError, type CameraHttpOptions } from '../camera-http'
import type { Credentials } from '../http-auth'
import { PullSource, type PullTimings } from './pull-source'
import { pullTarget } from './pull-target'
import type { SourceFactory } from './registry'
import type { SourceSink } from './source'

export const snapshotSource: SourceFactory = (camera, sink, env) => {
  const { url, creds } = pullTarget(camera)
  return new SnapshotSource(url, creds, camera.fps, env.maxFrameBytes, env.http, sink, env.timings)
}

export class SnapshotSource extends PullSource {
  readonly kind = 'snapshot' as const
  readonly media = 'jpeg' as const
  private readonly http: CameraHttp
  private readonly intervalMs: number

  constructor(
    url: URL,
    creds: Credentials | undefined,
    fps: number,
    private readonly maxFrameBytes: number,
    http: Omit<CameraHttpOptions, 'keepAlive' | 'accept'>,
    sink: SourceSink,
    timings: PullTimings,
  ) {
    super(sink, timings)
    this.intervalMs = 1000 / Math.min(60, Math.max(0.1, fps))
    this.http = new CameraHttp(url, creds, { ...http, keepAlive: true, accept: 'image/jpeg, */*' })
  }

  protected async attempt(isCurrent: () => boolean): Promise<void> {
    const res = await this.http.open()
    this.openConnections = 1
    try {
      const type = res.headers['content-type'] ?? ''
      if (type && !/^(image\/jpe?g|application\/octet-stream)/i.test(type)) {
        throw new CameraRequestError(`camera answered ${type.slice(0, 60)}, not a JPEG`)
      }
      const data = await this.readBody(res)
      if (!isCurrent()) return
      const problem = jpegProblem(data)
      if (problem) {
        this.sink.problem(problem)
        throw new CameraRequestError(problem)
      }
      this.gotFrame()
      this.sink.jpeg(data)
    } finally {
      this.openConnections = 0
    }
  }

  private readBody(res: IncomingMessage): Promise<Buffer> {
    const declared = Number(res.headers['content-length'] ?? NaN)
    if (declared > this.maxFrameBytes) {
      res.destroy()
      return Promise.reject(
        new CameraRequestError(`snapshot of ${declared} bytes is over the ${this.maxFrameBytes}-byte limit`),
      )
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = []
      let size = 0
      const timer = setTimeout(
        () =>
          res.destroy(
            new CameraRequestError(`snapshot not received within ${this.timings.frameTimeoutMs / 1000} s`),
          ),
        this.timings.frameTimeoutMs,
      )
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > this.maxFrameBytes) {
          res.destroy(new CameraRequestError(`snapshot over the ${this.maxFrameBytes}-byte limit`))
          return
        }
        chunks.push(c)
      })
      res.once('end', () => {
        clearTimeout(timer)
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
      })
      res.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      res.once('close', () => {
        clearTimeout(timer)
        if (!res.complete) reject(new CameraRequestError('camera closed the connection mid-snapshot'))
      })
    })
  }

  protected abortAttempt(reason: string): void {
    this.http.abort(reason)
    if (reason === 'stopped') this.http.close()
  }

  protected nextDelayAfterSuccess(elapsedMs: number): number {
    return Math.max(0, this.intervalMs - elapsedMs)
  }
}

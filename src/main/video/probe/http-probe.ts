/**
 * One cheap check that an HTTP pull camera is alive: MJPEG cameras answer the stream's headers (the
 * connection is dropped right after them), snapshot cameras one whole, valid JPEG. Credentials are
 * answered as the sources do (camera-http.ts); errors are the sources' wording, never the URL.
 */
import type { IncomingMessage } from 'node:http'
import { CameraHttp, CameraRequestError } from '../camera-http'
import { jpegProblem } from '../jpeg'
import { pullTarget } from '../sources/pull-target'
import type { RelayCamera } from '../../cameras/views'
import type { ProbeEnv } from './probe-types'

export async function probeHttpCamera(cam: RelayCamera, env: ProbeEnv, signal: AbortSignal): Promise<void> {
  const { url, creds } = pullTarget(cam)
  const mjpeg = cam.kind === 'mjpeg'
  const http = new CameraHttp(url, creds, {
    connectTimeoutMs: env.connectTimeoutMs,
    tlsVerify: env.tlsVerify,
    keepAlive: false,
    accept: mjpeg ? 'multipart/x-mixed-replace, */*' : 'image/jpeg, */*',
  })
  const abort = () => http.abort('check cancelled')
  signal.addEventListener('abort', abort, { once: true })
  try {
    const res = await http.open()
    const type = res.headers['content-type'] ?? ''
    if (mjpeg) {
      res.destroy()
      if (!/^multipart\//i.test(type)) {
        throw new CameraRequestError(`not an MJPEG stream (Content-Type ${type.slice(0, 60) || 'missing'})`)
      }
      return
    }
    if (type && !/^(image\/jpe?g|application\/octet-stream)/i.test(type)) {
      res.destroy()
      throw new CameraRequestError(`camera answered ${type.slice(0, 60)}, not a JPEG`)
    }
    const problem = jpegProblem(await readBody(res, env))
    if (problem) throw new CameraRequestError(problem)
  } finally {
    signal.removeEventListener('abort', abort)
    http.close()
  }
}

function readBody(res: IncomingMessage, env: ProbeEnv): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const timer = setTimeout(
      () => res.destroy(new CameraRequestError(`snapshot not received within ${env.connectTimeoutMs} ms`)),
      env.connectTimeoutMs,
    )
    res.on('data', (c: Buffer) => {
      size += c.length
      if (size > env.maxFrameBytes) {
        res.destroy(new CameraRequestError(`snapshot over the ${env.maxFrameBytes}-byte limit`))
        return
      }
      chunks.push(c)
    })
    res.once('end', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks, size))
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

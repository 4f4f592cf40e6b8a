/**
 * A second headless station of a spec's own (the built one in out/, as the Playwright station runs),
 * which the spec can stop and start again under a page: first on an ephemeral port, then again on the
 * same port with the same data folder (sessions survive; stream tokens, in memory, do not).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const OWN_ADMIN_PASSWORD = 'own-station-admin-pw'

export class OwnStation {
  private child: ChildProcess | null = null
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'station-own-'))
  port = 0

  constructor(private readonly env: Record<string, string> = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Starts it and resolves once it listens (its first start picks a free port, later ones reuse it). */
  start(): Promise<void> {
    const root = fileURLToPath(new URL('..', import.meta.url))
    const child = spawn(process.execPath, [join(root, 'out', 'main', 'headless.js')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        STATION_HOST: '127.0.0.1',
        STATION_PORT: String(this.port),
        STATION_DATA_DIR: this.dataDir,
        STATION_ADMIN_PASSWORD: OWN_ADMIN_PASSWORD,
        STATION_RENDERER_DIR: join(root, 'out', 'renderer'),
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        ...this.env,
      },
    })
    this.child = child
    return new Promise((resolve, reject) => {
      let out = ''
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString()
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
        if (m && this.port === 0) this.port = Number(m[1])
        if (m) resolve()
      })
      child.once('exit', (code) =>
        reject(new Error(`own station exited (${code}) before listening:\n${out}`)),
      )
    })
  }

  /** Stops it (SIGTERM) and resolves once the process is gone. */
  async stop(): Promise<void> {
    const child = this.child
    this.child = null
    if (!child || child.exitCode !== null) return
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  }

  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.dataDir, { recursive: true, force: true })
  }

  async api<T>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; data: T }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    })
    const json = (await res.json().catch(() => ({}))) as { data: T }
    return { status: res.status, data: json.data }
  }

  async adminToken(): Promise<string> {
    const res = await this.api<{ token: string }>('POST', '/api/auth/login', undefined, {
      username: 'admin',
      password: OWN_ADMIN_PASSWORD,
    })
    if (res.status !== 200) throw new Error(`admin login failed: ${res.status}`)
    return res.data.token
  }
}

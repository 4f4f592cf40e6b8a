/**
 * `npm run headless -- --reset-admin-password`: gives user `admin` a new password in the data folder's
 * database and ends its sessions, for an admin who lost it (STATION_ADMIN_PASSWORD sets the password only
 * on an empty data folder). The new password is STATION_ADMIN_PASSWORD, or typed at a prompt, or
 * generated and printed. Recorded in the audit log (`user.password`, by the station). Run it while the
 * station is stopped: a running one would keep the admin's open connections until it restarts.
 */
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { databasePath } from '../database/open'
import { AuditRepository } from '../audit/audit-repository'
import { generatePassword, hashPassword, passwordProblem } from './passwords'
import { SessionsRepository } from './sessions-repository'
import { UsersRepository } from './users-repository'

export interface ResetOutcome {
  created: boolean
  sessionsEnded: number
}

/** Sets the admin's password (creating user `admin` if no such user exists) and ends its sessions. */
export async function resetAdminPassword(
  dataDir: string,
  password: string,
  nativeBinding?: string,
): Promise<ResetOutcome> {
  const hash = await hashPassword(password)
  const db = new Database(databasePath(dataDir), {
    fileMustExist: true,
    timeout: 5_000,
    ...(nativeBinding ? { nativeBinding } : {}),
  })
  try {
    const users = new UsersRepository(db)
    const sessions = new SessionsRepository(db)
    const audit = new AuditRepository(db)
    return db
      .transaction((): ResetOutcome => {
        const existing = users.findByUsername('admin')
        const user = existing ?? users.create('admin', 'admin', hash)
        if (existing) {
          users.setPasswordHash(existing.id, hash)
          if (existing.role !== 'admin') users.setRole(existing.id, 'admin')
        }
        const sessionsEnded = sessions.deleteForUser(user.id)
        audit.append([
          {
            at: Date.now(),
            actorKind: 'system',
            actorId: null,
            actorName: null,
            source: 'station',
            action: existing ? 'user.password' : 'user.create',
            targetKind: 'user',
            targetId: String(user.id),
            beforeJson: null,
            afterJson: JSON.stringify({
              passwordChanged: true,
              via: '--reset-admin-password',
              sessionsEnded,
            }),
          },
        ])
        return { created: !existing, sessionsEnded }
      })
      .immediate()
  } finally {
    db.close()
  }
}

async function askHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true })
  process.stdout.write(question)
  // Typed characters are not echoed.
  ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {}
  try {
    return await rl.question('')
  } finally {
    rl.close()
    process.stdout.write('\n')
  }
}

/** Runs the reset for the command line; answers the exit code (0 done, 2 nothing to reset or refused). */
export async function runResetAdminPassword(
  opts: { dataDir: string; configured: string | undefined; nativeBinding?: string | undefined },
  out: (line: string) => void,
): Promise<number> {
  if (!existsSync(databasePath(opts.dataDir))) {
    out(`No station database in ${opts.dataDir}: nothing to reset.`)
    out('Start the station once; STATION_ADMIN_PASSWORD then sets the first admin password.')
    return 2
  }
  let password = opts.configured
  let generated = false
  if (password === undefined && process.stdin.isTTY) {
    password = await askHidden('New password for "admin" (empty: generate one): ')
    if (password !== '' && (await askHidden('Type it again: ')) !== password) {
      out('The two passwords differ: nothing changed.')
      return 2
    }
    if (password === '') password = undefined
  }
  if (password === undefined) {
    password = generatePassword()
    generated = true
  }
  const problem = passwordProblem(password, 'admin')
  if (problem) {
    out(`${problem}: nothing changed.`)
    return 2
  }
  const { created, sessionsEnded } = await resetAdminPassword(opts.dataDir, password, opts.nativeBinding)
  out(
    `${created ? 'Created user "admin"' : 'New password set for "admin"'} in ${opts.dataDir}; ` +
      `${sessionsEnded} session${sessionsEnded === 1 ? '' : 's'} ended.`,
  )
  if (generated)
    out(`Sign in as "admin" with password: ${password}\n(shown once; change it after signing in)`)
  return 0
}

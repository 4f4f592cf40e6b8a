/**
 * Source of a read worker. Kept as a string and started with `new Worker(src, { eval: true })` so the
 * same code runs from TypeScript tests, the bundled headless build and Electron without a separate
 * worker bundle. It opens one read-only connection and runs named queries prepared once.
 */
export const READ_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driverPath)
const db = new Database(workerData.dbPath, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding })
db.pragma('busy_timeout = 5000')
const statements = {}
for (const [name, q] of Object.entries(workerData.queries)) statements[name] = { mode: q.mode, stmt: db.prepare(q.sql) }
parentPort.on('message', (msg) => {
  if (msg.type === 'close') { db.close(); parentPort.close(); return }
  const started = performance.now()
  try {
    const s = statements[msg.name]
    if (!s) throw new Error('unknown query ' + msg.name)
    const result = s.mode === 'get' ? s.stmt.get(msg.params) : s.stmt.all(msg.params)
    parentPort.postMessage({ id: msg.id, ok: true, result, ms: performance.now() - started })
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: String(err && err.message || err), ms: performance.now() - started })
  }
})
`

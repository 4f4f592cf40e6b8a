/**
 * The writer thread (entry of a worker_threads Worker, started by `WorkerWriter` in ./writer.ts). It holds
 * its own connection to the station's database (WAL, synchronous per config, foreign keys, busy_timeout)
 * and runs the named write operations of ./write-ops.ts one at a time, in the order they arrive: the
 * single writer. The main thread never waits on an fsync or on SQLite's insert work.
 *
 * Messages in: `{ id, op, payload }`, `{ type: 'close' }`. Out: `{ type: 'ready' }` once the connection is
 * open and every statement prepared, `{ id, ok: true, result, ms }` after an operation committed,
 * `{ id, ok: false, error, ms }` when it failed (rolled back).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openWriterThreadConnection } from './open'
import { createWriteOps, type WriteOpName } from './write-ops'
import type { WriterRequest, WriterResponse, WriterWorkerData } from './writer-protocol'
import { runTimed } from './worker-result'

const port = parentPort
if (!port) throw new Error('writer-worker.ts runs only as a worker thread')
const data = workerData as WriterWorkerData

const db = openWriterThreadConnection(data)
const ops = createWriteOps(db) as Record<WriteOpName, (payload: unknown) => unknown>

port.on('message', (msg: WriterRequest) => {
  if (msg.type !== 'run') {
    db.close()
    port.close()
    return
  }
  const reply: WriterResponse = runTimed(msg.id, () => {
    const op = Object.hasOwn(ops, msg.op) ? ops[msg.op] : undefined
    if (!op) throw new Error(`Unknown write operation "${String(msg.op)}"`)
    return op(msg.payload)
  })
  port.postMessage(reply)
})

port.postMessage({ type: 'ready' } satisfies WriterResponse)

/**
 * A read worker (entry of a worker_threads Worker, started by `WorkerReadPool` in ./read-pool.ts). It holds
 * one read-only connection to the station's database and runs the named queries of its catalogue, each
 * prepared once, one at a time.
 *
 * Messages in: `{ type: 'run', id, name, params }`, `{ type: 'close' }`. Out: `{ type: 'ready' }` once the
 * connection is open and every statement prepared, `{ id, ok: true, result, ms }` with the rows, or
 * `{ id, ok: false, error, ms }` when the query failed. A worker that cannot open the database throws at
 * start; the pool sees it die before `ready`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openReaderConnection } from './open'
import { prepareReads } from './read-queries'
import type { ReadRequest, ReadResponse, ReadWorkerData } from './read-protocol'
import { runTimed } from './worker-result'

const port = parentPort
if (!port) throw new Error('read-worker.ts runs only as a worker thread')
const data = workerData as ReadWorkerData

const db = openReaderConnection(data)
const run = prepareReads(db, data.queries)

port.on('message', (msg: ReadRequest) => {
  if (msg.type !== 'run') {
    db.close()
    port.close()
    return
  }
  const reply: ReadResponse = runTimed(msg.id, () => run(msg.name, msg.params))
  port.postMessage(reply)
})

port.postMessage({ type: 'ready' } satisfies ReadResponse)

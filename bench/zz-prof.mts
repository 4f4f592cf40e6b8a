// Ad-hoc profiling helper (not part of the bench table): cached GET under load, for --cpu-prof.
import { LoadAgent } from './agent'
import { startStation, adminToken } from './setup'
import type { HttpLoadResult } from './http-load'

const st = await startStation()
const app = st.station.app
const token = await adminToken(app)
const auth = { authorization: `Bearer ${token}` }
for (let i = 1; i <= 8; i++)
  await app.inject({ method: 'POST', url: '/api/cameras', headers: auth, payload: { name: `c${i}`, kind: 'mjpeg', url: `http://10.0.0.${i}/v`, enabled: true } })
const agent = LoadAgent.start()
const r = await agent.call<HttpLoadResult>({ kind: 'http', spec: { host: '127.0.0.1', port: st.port, requests: [{ method: 'GET', path: '/api/cameras/active', headers: auth }], connections: 50, durationMs: 5000, warmupMs: 500 } })
console.log('rps', r.rps)
agent.stop()
await st.close()
process.exit(0)

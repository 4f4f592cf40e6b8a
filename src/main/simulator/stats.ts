/** The simulator's counters: every figure it prints is counted here, nothing is estimated. */
import { LatencyHistogram, type HistogramSummary } from '../metrics/histogram'

export class SimulatorCounters {
  readingsGenerated = 0
  /** Readings handed to the network, resends included. */
  readingsSent = 0
  /** Readings the station confirmed as committed. */
  readingsAcknowledged = 0
  /** Readings sent again after a failure or a lost connection (the station may hold duplicates). */
  readingsResent = 0
  /** Readings the station refused as invalid (4xx / error frame): never resent. */
  readingsRejected = 0
  /** Readings dropped because a device's local buffer was full (the station could not keep up). */
  readingsDropped = 0
  requests = 0
  errors = 0
  /** 503/429 answers: the device backed off for Retry-After. */
  overloaded = 0
  heartbeatsSent = 0
  heartbeatsAcknowledged = 0
  buzzerCommandsReceived = 0
  buzzerCommandsExecuted = 0
  buzzerAcksSent = 0
  buzzerAcksConfirmed = 0
  connects = 0
  disconnects = 0
  lastError: string | undefined
  readonly readingLatency = new LatencyHistogram()
  readonly heartbeatLatency = new LatencyHistogram()

  error(message: string): void {
    this.errors++
    this.lastError = message
  }
}

export interface SimulatorStats {
  mode: 'http' | 'ws'
  devices: number
  /** WebSocket mode: sockets open now. HTTP mode: devices whose last request reached the station. */
  connected: number
  elapsedMs: number
  readingsGenerated: number
  readingsSent: number
  readingsAcknowledged: number
  readingsResent: number
  readingsRejected: number
  readingsDropped: number
  /** Readings generated but neither acknowledged, rejected nor dropped yet (buffered or in flight). */
  readingsPending: number
  requests: number
  errors: number
  overloaded: number
  heartbeatsSent: number
  heartbeatsAcknowledged: number
  buzzerCommandsReceived: number
  buzzerCommandsExecuted: number
  buzzerAcksSent: number
  buzzerAcksConfirmed: number
  connects: number
  disconnects: number
  lastError: string | undefined
  readingAckMs: HistogramSummary
  heartbeatAckMs: HistogramSummary
}

export function snapshot(
  c: SimulatorCounters,
  base: { mode: 'http' | 'ws'; devices: number; connected: number; elapsedMs: number; pending: number },
): SimulatorStats {
  return {
    ...base,
    readingsPending: base.pending,
    readingsGenerated: c.readingsGenerated,
    readingsSent: c.readingsSent,
    readingsAcknowledged: c.readingsAcknowledged,
    readingsResent: c.readingsResent,
    readingsRejected: c.readingsRejected,
    readingsDropped: c.readingsDropped,
    requests: c.requests,
    errors: c.errors,
    overloaded: c.overloaded,
    heartbeatsSent: c.heartbeatsSent,
    heartbeatsAcknowledged: c.heartbeatsAcknowledged,
    buzzerCommandsReceived: c.buzzerCommandsReceived,
    buzzerCommandsExecuted: c.buzzerCommandsExecuted,
    buzzerAcksSent: c.buzzerAcksSent,
    buzzerAcksConfirmed: c.buzzerAcksConfirmed,
    connects: c.connects,
    disconnects: c.disconnects,
    lastError: c.lastError,
    readingAckMs: c.readingLatency.summary(),
    heartbeatAckMs: c.heartbeatLatency.summary(),
  }
}

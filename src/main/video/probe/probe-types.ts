/** What a camera check needs of the station's video settings. */
export interface ProbeEnv {
  /** The camera must answer (connect and headers; a snapshot's body) within this. */
  connectTimeoutMs: number
  tlsVerify: boolean
  /** Largest snapshot read. */
  maxFrameBytes: number
}

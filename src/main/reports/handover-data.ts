/**
 * What a shift handover report holds: the station, the range and its time zone, each alarm that was open
 * at some time in it (with its history and its pictures), and the areas guards armed or disarmed in it.
 * Gathered from the read pool (alarms, history, the audit log), the main connection (names) and the
 * alarm snapshot folder. The time zone is a parameter: the caller picks it (the query's, else the site's).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Alarm } from '../../shared/schemas/alarms'
import { MAX_REPORT_ALARMS } from '../../shared/schemas/reports'
import { toAlarm } from '../alarms/alarms-repository'
import type { SnapshotFile } from '../alarms/snapshots/snapshot-repository'
import type { ReadPool } from '../database/read-pool'

export interface ReportPicture {
  cameraId: number
  cameraName: string
  at: number
  jpeg: Buffer
}

export interface ReportNote {
  at: number
  kind: string
  actor: string | null
  note: string | null
}

export interface ReportAlarm extends Alarm {
  history: ReportNote[]
  pictures: ReportPicture[]
}

export interface ReportArming {
  at: number
  actor: string | null
  areaName: string
  armed: boolean
}

export interface HandoverData {
  station: string
  from: number
  to: number
  timeZone: string
  generatedAt: number
  alarms: ReportAlarm[]
  /** More alarms than one report holds were open in the range (the oldest are in). */
  truncated: boolean
  arming: ReportArming[]
  cameraName(id: number): string
}

export interface HandoverSources {
  reads: Pick<ReadPool, 'run'>
  station: string
  cameraNames(): Map<number, string>
  areaNames(): Map<number, string>
  snapshot(alarmId: number, cameraId: number): SnapshotFile | undefined
  snapshotDir: string
  now?: () => number
}

/** At most this many pictures are embedded in one report (a few MiB of JPEG). */
const MAX_PICTURES = 200

export async function handoverData(
  src: HandoverSources,
  range: { from: number; to: number; timeZone: string },
): Promise<HandoverData> {
  const params = { from: range.from, to: range.to, limit: MAX_REPORT_ALARMS + 1 }
  const [rows, history, arming] = await Promise.all([
    src.reads.run('report.alarms', params),
    src.reads.run('report.history', params),
    src.reads.run('report.arming', { ...params, limit: 5000 }),
  ])
  const cameras = src.cameraNames()
  const areas = src.areaNames()
  const cameraName = (id: number) => cameras.get(id) ?? `Camera ${id}`
  const notes = new Map<number, ReportNote[]>()
  for (const h of history) {
    const list = notes.get(h.alarmId) ?? []
    list.push({ at: h.at, kind: h.kind, actor: h.actor, note: h.note })
    notes.set(h.alarmId, list)
  }
  let pictures = 0
  const alarms: ReportAlarm[] = []
  for (const row of rows.slice(0, MAX_REPORT_ALARMS)) {
    const a = toAlarm(row)
    const pics: ReportPicture[] = []
    for (const s of a.snapshots) {
      if (pictures >= MAX_PICTURES) break
      const file = src.snapshot(a.id, s.cameraId)
      const jpeg = file && (await readFile(join(src.snapshotDir, file.file)).catch(() => undefined))
      if (!jpeg) continue
      pictures++
      pics.push({ cameraId: s.cameraId, cameraName: cameraName(s.cameraId), at: s.at, jpeg })
    }
    alarms.push({ ...a, history: notes.get(a.id) ?? [], pictures: pics })
  }
  return {
    station: src.station,
    from: range.from,
    to: range.to,
    timeZone: range.timeZone,
    generatedAt: src.now?.() ?? Date.now(),
    alarms,
    truncated: rows.length > MAX_REPORT_ALARMS,
    arming: arming.map((r) => ({
      at: r.at,
      actor: r.actor,
      areaName: areas.get(Number(r.areaId)) ?? `Area ${r.areaId}`,
      armed: r.action === 'area.arm',
    })),
    cameraName,
  }
}

/**
 * The shift handover report as a PDF, made in the station core with pdfkit (pure JavaScript: no Electron,
 * no browser). pdfkit reads its standard fonts' metrics from its own package folder at run time, so it
 * stays a runtime dependency outside the bundle (electron-vite externalizes `dependencies`).
 */
import PDFDocument from 'pdfkit'
import type { HandoverData, ReportAlarm } from './handover-data'
import {
  SEVERITY_WORD,
  duration,
  recordingLines,
  sirenOutcome,
  sourceText,
  stepWord,
  summarize,
  timeFormatter,
  timeLines,
} from './handover-summary'

const SEVERITY_COLOR = { critical: '#c62828', warning: '#b26a00', info: '#1565c0' } as const
const PICTURE = { width: 240, height: 180 }

export function handoverPdf(data: HandoverData): Promise<Buffer> {
  const at = timeFormatter(data.timeZone)
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    info: { Title: `Shift handover report, ${at(data.from)} to ${at(data.to)}`, Author: data.station },
  })
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const sum = summarize(data.alarms)

  doc.font('Helvetica-Bold').fontSize(18).text('Shift handover report')
  doc.font('Helvetica').fontSize(11).text(data.station)
  doc.text(`From ${at(data.from)} to ${at(data.to)} (times in ${data.timeZone})`)
  doc
    .fillColor('#555')
    .text(`Made ${at(data.generatedAt)}`)
    .fillColor('black')

  heading(doc, 'Summary')
  const lines = [
    `Alarms: ${sum.total} (critical ${sum.bySeverity.critical}, warning ${sum.bySeverity.warning}, information ${sum.bySeverity.info})`,
    `Acknowledged: ${sum.acknowledged}   Resolved: ${sum.resolved}   Still open: ${sum.stillOpen}`,
    `Time to acknowledge: median ${sum.ackMedianMs === null ? '-' : duration(sum.ackMedianMs)}, longest ${sum.ackMaxMs === null ? '-' : duration(sum.ackMaxMs)}`,
  ]
  for (const l of lines) doc.text(l)
  if (data.truncated) {
    doc.moveDown(0.5).font('Helvetica-Bold')
    doc.text(`More alarms happened than one report holds: only the first ${data.alarms.length} are listed.`)
    doc.font('Helvetica')
  }

  heading(doc, 'Alarms')
  if (data.alarms.length === 0) doc.text('No alarms in this time range.')
  for (const a of data.alarms) alarm(doc, a, data, at)

  heading(doc, 'Areas armed and disarmed')
  if (data.arming.length === 0) doc.text('No area was armed or disarmed in this time range.')
  for (const r of data.arming) {
    doc.text(
      `${at(r.at)}  ${r.areaName}: ${r.armed ? 'armed' : 'disarmed'}${r.actor ? ` by ${r.actor}` : ''}`,
    )
  }
  doc.end()
  return done
}

function heading(doc: PDFKit.PDFDocument, title: string): void {
  doc.moveDown(1).font('Helvetica-Bold').fontSize(14).text(title).font('Helvetica').fontSize(11).moveDown(0.3)
}

function alarm(
  doc: PDFKit.PDFDocument,
  a: ReportAlarm,
  data: HandoverData,
  at: (ms: number) => string,
): void {
  if (doc.y > doc.page.height - 160) doc.addPage()
  doc.moveDown(0.6)
  doc.font('Helvetica-Bold').fontSize(9).fillColor(SEVERITY_COLOR[a.severity])
  doc.text(SEVERITY_WORD[a.severity].toUpperCase())
  doc.fontSize(12).fillColor('black').text(a.ruleName)
  doc.font('Helvetica').fontSize(10).text(a.message)
  doc.fillColor('#444')
  doc.text(
    `Source: ${sourceText(a, data.cameraName)}${a.repeatCount > 0 ? `; happened ${a.repeatCount + 1} times` : ''}`,
  )
  doc.fillColor('black')
  for (const l of timeLines(a, at)) doc.text(`- ${l}`)
  const siren = sirenOutcome(a)
  if (siren) doc.text(`Siren: ${siren}`)
  const recordings = recordingLines(a, data, at)
  if (recordings.length) doc.text('Recordings:')
  for (const l of recordings) doc.text(`   ${l}`)
  if (a.history.length) doc.moveDown(0.3).font('Helvetica-Bold').text('History').font('Helvetica')
  for (const h of a.history) {
    const who = h.actor ? ` (${h.actor})` : ''
    doc.text(`${at(h.at)}  ${stepWord(h.kind)}${who}${h.note ? `: ${h.note}` : ''}`)
  }
  for (const p of a.pictures) {
    if (doc.y + PICTURE.height + 30 > doc.page.height - doc.page.margins.bottom) doc.addPage()
    doc.moveDown(0.3)
    try {
      doc.image(p.jpeg, { fit: [PICTURE.width, PICTURE.height] })
    } catch {
      doc.text('(this picture could not be read)')
    }
    doc
      .fontSize(9)
      .fillColor('#444')
      .text(`${p.cameraName}, ${at(p.at)}`)
      .fontSize(10)
      .fillColor('black')
  }
  doc.moveDown(0.4)
  const y = doc.y
  doc
    .moveTo(doc.page.margins.left, y)
    .lineTo(doc.page.width - doc.page.margins.right, y)
    .strokeColor('#bbbbbb')
    .stroke()
}

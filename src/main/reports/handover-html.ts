/**
 * The shift handover report as one self-contained, printable HTML page: inline CSS (with print rules),
 * pictures as data: URIs, no scripts and nothing fetched, so it can be saved and mailed as it is.
 */
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

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!)

const CSS = `
  body { font: 14px/1.45 system-ui, sans-serif; color: #111; margin: 24px auto; max-width: 960px; padding: 0 16px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid #333; }
  h3 { font-size: 15px; margin: 0 0 6px; } .muted { color: #555; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
  .figures { display: flex; flex-wrap: wrap; gap: 8px 24px; } .figures div { min-width: 140px; } .figures b { display: block; font-size: 20px; }
  .alarm { border: 1px solid #bbb; border-left: 6px solid #888; border-radius: 4px; padding: 10px 14px; margin: 12px 0; break-inside: avoid; }
  .alarm.critical { border-left-color: #c62828; } .alarm.warning { border-left-color: #ef8f00; } .alarm.info { border-left-color: #1565c0; }
  .sev { font-weight: 600; text-transform: uppercase; font-size: 12px; letter-spacing: .04em; }
  .pictures { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 8px; } figure { margin: 0; } figure img { max-width: 300px; max-height: 225px; display: block; border: 1px solid #999; }
  figcaption { font-size: 12px; color: #444; } ul { margin: 4px 0; padding-left: 20px; }
  @media print { body { margin: 0; max-width: none; font-size: 11pt; } h2 { break-after: avoid; } .alarm { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
`

export function handoverHtml(data: HandoverData): string {
  const at = timeFormatter(data.timeZone)
  const sum = summarize(data.alarms)
  const figure = (label: string, value: string) => `<div><b>${esc(value)}</b>${esc(label)}</div>`
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>Shift report ${esc(at(data.from))} to ${esc(at(data.to))}</title><style>${CSS}</style></head><body>`,
    `<h1>Shift handover report</h1>`,
    `<p><b>${esc(data.station)}</b><br>From ${esc(at(data.from))} to ${esc(at(data.to))} `,
    `<span class="muted">(times in ${esc(data.timeZone)})</span><br>`,
    `<span class="muted">Made ${esc(at(data.generatedAt))}</span></p>`,
    `<h2>Summary</h2><div class="figures">`,
    figure('alarms', String(sum.total)),
    figure('critical', String(sum.bySeverity.critical)),
    figure('warning', String(sum.bySeverity.warning)),
    figure('information', String(sum.bySeverity.info)),
    figure('acknowledged', String(sum.acknowledged)),
    figure('resolved', String(sum.resolved)),
    figure('still open', String(sum.stillOpen)),
    figure('median time to acknowledge', sum.ackMedianMs === null ? '–' : duration(sum.ackMedianMs)),
    figure('longest time to acknowledge', sum.ackMaxMs === null ? '–' : duration(sum.ackMaxMs)),
    `</div>`,
    data.truncated
      ? `<p><b>More alarms happened than one report holds: only the first ${data.alarms.length} are listed. Choose a shorter time range for the rest.</b></p>`
      : '',
    `<h2>Alarms</h2>`,
    data.alarms.length === 0 ? `<p>No alarms in this time range.</p>` : '',
    ...data.alarms.map((a) => alarmHtml(a, data, at)),
    `<h2>Areas armed and disarmed</h2>`,
    armingHtml(data, at),
    `</body></html>`,
  ]
  return parts.join('\n')
}

function alarmHtml(a: ReportAlarm, data: HandoverData, at: (ms: number) => string): string {
  const siren = sirenOutcome(a)
  const recordings = recordingLines(a, data, at)
  const steps = a.history
    .map(
      (h) =>
        `<tr><td>${esc(at(h.at))}</td><td>${esc(stepWord(h.kind))}</td><td>${esc(h.actor ?? '')}</td><td>${esc(h.note ?? '')}</td></tr>`,
    )
    .join('')
  const pictures = a.pictures
    .map(
      (p) =>
        `<figure><img alt="${esc(p.cameraName)}" src="data:image/jpeg;base64,${p.jpeg.toString('base64')}">` +
        `<figcaption>${esc(p.cameraName)}, ${esc(at(p.at))}</figcaption></figure>`,
    )
    .join('')
  return [
    `<section class="alarm ${a.severity}">`,
    `<div class="sev">${esc(SEVERITY_WORD[a.severity])}</div>`,
    `<h3>${esc(a.ruleName)}</h3>`,
    `<div>${esc(a.message)}</div>`,
    `<div class="muted">Source: ${esc(sourceText(a, data.cameraName))}${a.repeatCount > 0 ? ` · happened ${a.repeatCount + 1} times` : ''}</div>`,
    `<ul>${timeLines(a, at)
      .map((l) => `<li>${esc(l)}</li>`)
      .join('')}</ul>`,
    siren ? `<div>Siren: ${esc(siren)}</div>` : '',
    recordings.length
      ? `<div>Recordings:<ul>${recordings.map((l) => `<li>${esc(l)}</li>`).join('')}</ul></div>`
      : '',
    steps
      ? `<table><thead><tr><th>Time</th><th>What</th><th>Who</th><th>Note</th></tr></thead><tbody>${steps}</tbody></table>`
      : '',
    pictures ? `<div class="pictures">${pictures}</div>` : '',
    `</section>`,
  ].join('')
}

function armingHtml(data: HandoverData, at: (ms: number) => string): string {
  if (data.arming.length === 0) return `<p>No area was armed or disarmed in this time range.</p>`
  const rows = data.arming
    .map(
      (r) =>
        `<tr><td>${esc(at(r.at))}</td><td>${esc(r.areaName)}</td><td>${r.armed ? 'Armed' : 'Disarmed'}</td><td>${esc(r.actor ?? '')}</td></tr>`,
    )
    .join('')
  return `<table><thead><tr><th>Time</th><th>Area</th><th>Change</th><th>Who</th></tr></thead><tbody>${rows}</tbody></table>`
}

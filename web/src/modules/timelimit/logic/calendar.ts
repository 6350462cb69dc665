// 工作日历 in the admin screen: checking a calendar CSV before it is sent, pointing at the line
// the server refused, and the deadline checker's start moment (China time).

/** The most a calendar file may weigh here (a year is a few hundred bytes). */
export const CSV_MAX_BYTES = 1024 * 1024

/** What the admin loads: one day a line. */
export const CSV_EXAMPLE = 'date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节调休\n2027-02-07,holiday,春节'

/** Why a chosen file is not sent (an `admin.calendar.*` key), or null. */
export function csvProblem(f: { name: string; size: number; type?: string }): 'notCsv' | 'empty' | 'tooLarge' | null {
  const csvName = /\.csv$/i.test(f.name)
  const csvType = !f.type || /^(text\/(csv|plain)|application\/(vnd\.ms-excel|csv))$/i.test(f.type)
  if (!csvName && !(f.type && /csv/i.test(f.type))) return 'notCsv'
  if (!csvType) return 'notCsv'
  if (f.size === 0) return 'empty'
  if (f.size > CSV_MAX_BYTES) return 'tooLarge'
  return null
}

/** Where the server says a file is wrong: `line 3, column 2 (kind)` → {line 3, column 2, name kind}. */
export interface CsvPlace { line: number; column?: number; name?: string }
export function csvPlace(field: string | null | undefined): CsvPlace | null {
  const m = /line\s+(\d+)(?:\s*,\s*column\s+(\d+)(?:\s*\(([^)]*)\))?)?/i.exec(field ?? '')
  if (!m) return null
  const out: CsvPlace = { line: Number(m[1]) }
  if (m[2]) out.column = Number(m[2])
  if (m[3]) out.name = m[3].trim()
  return out
}

/** The text of a line of a file (1-based, the header is line 1), without its line break. */
export function lineOf(text: string, line: number): string | null {
  if (line < 1) return null
  const lines = text.replace(/^\uFEFF/, '').split('\n')
  return line <= lines.length ? lines[line - 1].replace(/\r$/, '') : null
}

/** Fields of a CSV line (no quoting in calendar files), to mark the one at fault. */
export const csvFields = (line: string) => line.split(',')

/** A wall-clock moment picked as China time (YYYY-MM-DD HH:mm[:ss]) as RFC 3339 with +08:00. */
export function chinaMoment(local: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim())
  return m ? `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}+08:00` : null
}

/** Now as a China wall-clock moment to the minute (the checker's default start). */
export function chinaNow(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}

// Tracking codes and receipts of the reports made from this phone, kept in localStorage so
// the resident can follow and rate without copying them by hand.
const KEY = 'cg.reports'

export interface SavedReport { code: string; receipt: string; at: string }

export function savedReports(): SavedReport[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]')
    return Array.isArray(v) ? v.filter((r) => r && typeof r.code === 'string' && typeof r.receipt === 'string') : []
  } catch {
    return []
  }
}

export function saveReport(r: SavedReport) {
  const all = [r, ...savedReports().filter((x) => x.code !== r.code)].slice(0, 20)
  try {
    localStorage.setItem(KEY, JSON.stringify(all))
  } catch {
    /* storage full or disabled: the resident still sees the code on screen */
  }
}

export function receiptFor(code: string): string {
  return savedReports().find((r) => r.code === code)?.receipt ?? ''
}

/** A tracking code as typed: digits only (full-width digits and spaces tolerated). */
export function normaliseCode(s: string): string {
  return s
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/\D/g, '')
}

// Sorting the workbench queue by any column. The server lists newest first (its indexes walk
// that order); a dispatcher who sorts by deadline or state gets the whole list sorted here, with
// the rest of it loaded first (at most SORT_LIMIT rows, beyond which the page says so).
import type { CaseView } from '../api'
import { STATES } from '../api'

/** The columns the queue sorts by. */
export type SortKey = 'code' | 'title' | 'category' | 'state' | 'deadline' | 'area' | 'created'
export interface QueueSort { key: SortKey; order: 'ascending' | 'descending' }

/** Rows the workbench loads to sort a long list. */
export const SORT_LIMIT = 1000

/** The value a row sorts by; null sorts last whichever the order. */
function valueOf(c: CaseView, key: SortKey): string | number | null {
  switch (key) {
    case 'code':
      return c.code
    case 'title':
      return c.title || null
    case 'category':
      return c.category?.code || null
    case 'state':
      // The life cycle's order, not the alphabet's.
      return STATES.indexOf(c.state)
    case 'deadline':
      // The running deadline; a suspended case's clock stands still, it sorts by its due time.
      return c.deadline?.due ? Date.parse(c.deadline.due) : null
    case 'area':
      return c.area[c.area.length - 1]?.code ?? null
    case 'created':
      return Date.parse(c.created_at)
  }
}

const collator = new Intl.Collator('zh-CN', { numeric: true })

/** The rows in the order asked (a new array); ties keep the server's order (newest first). */
export function sortCases(rows: readonly CaseView[], sort: QueueSort | null): CaseView[] {
  if (!sort) return [...rows]
  const dir = sort.order === 'ascending' ? 1 : -1
  return rows
    .map((c, i) => ({ c, i, v: valueOf(c, sort.key) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1
      const d = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v))
      return d !== 0 ? d * dir : a.i - b.i
    })
    .map((x) => x.c)
}

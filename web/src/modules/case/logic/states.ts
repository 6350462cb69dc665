// How a case's state looks wherever cases are drawn: the tags, the map's points, the charts.
import type { CaseState } from '../api'

/** Colour of a state on maps and charts. */
export function stateColor(s: CaseState): string {
  switch (s) {
    case 'reported':
      return '#e6a23c'
    case 'accepted':
      return '#f59e0b'
    case 'dispatched':
      return '#3b82f6'
    case 'in_progress':
      return '#6366f1'
    case 'returned':
      return '#ef4444'
    case 'handled':
      return '#14b8a6'
    case 'suspended':
      return '#9ca3af'
    case 'closed':
      return '#22c55e'
    case 'rated':
      return '#16a34a'
    case 'rejected':
      return '#6b7280'
    case 'merged':
      return '#a3a3a3'
  }
}

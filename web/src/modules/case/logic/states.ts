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

/**
 * Colour of a state's tag, under white text: the same hue as on the maps, dark enough for
 * WCAG AA (at least 4.5:1), where the maps' brighter points fall short (2.2–3:1).
 */
export function stateTagColor(s: CaseState): string {
  switch (s) {
    case 'reported':
      return '#a16207'
    case 'accepted':
      return '#c2410c'
    case 'dispatched':
      return '#1d4ed8'
    case 'in_progress':
      return '#4338ca'
    case 'returned':
      return '#b91c1c'
    case 'handled':
      return '#0f766e'
    case 'suspended':
      return '#4b5563'
    case 'closed':
      return '#15803d'
    case 'rated':
      return '#166534'
    case 'rejected':
      return '#4b5563'
    case 'merged':
      return '#525252'
  }
}

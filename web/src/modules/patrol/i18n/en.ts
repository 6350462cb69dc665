// English: the same keys as zh-CN.ts (core/i18n/i18n.test.ts checks).
import type zh from './zh-CN'

const en: typeof zh = {
  patrol: {
    tab: "Today's patrols",
    title: "Today's patrols and visits ({n})",
    empty: 'No patrols or visits logged today',
    kind: { patrol: 'Patrol', visit: 'Visit' },
    note: 'Note',
    notePlaceholder: 'What you saw or did, up to 1000 characters',
    noteBad: 'Write a note of 1 to 1000 characters',
    useGps: 'Add my location',
    locationOptional: 'Location (optional)',
    clearLocation: 'No location',
    add: 'Add entry',
    added: '{kind} logged',
    noGrid: 'Not in a grid',
    locationSet: 'Location {lon}, {lat}',
    gpsFailed: 'Could not get your position',
  },
}
export default en

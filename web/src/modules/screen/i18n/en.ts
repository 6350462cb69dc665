// English: the same keys as zh-CN.ts (core/i18n/i18n.test.ts checks).
import type zh from './zh-CN'

const en: typeof zh = {
  nav: { screen: 'Command centre' },
  screen: {
    title: 'City operations command centre',
    today: 'Reported today',
    month: 'This month',
    open: 'Open',
    closed: 'Closed',
    supervised: 'Supervised',
    byState: 'By state',
    byChannel: 'By channel',
    byCategory: 'By category',
    byTown: 'By town',
    trend: 'Reports, last 30 days',
    map: 'Case map',
    latest: 'Latest cases',
    fullscreen: 'Full screen',
    wall: 'Wall mode',
    refreshing: 'Refreshes every {n} s',
    gridLegend: 'Open cases per grid',
    rates: "This month's performance",
    ratesPeriod: '{from} to {to}',
    overdue: 'Overdue cases',
    warned: 'Warned cases',
    cardsNote: 'open cases',
  },
}
export default en

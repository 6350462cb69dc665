// 考核: periods, the figures as they read (percentages with one decimal, hours, "—" for no
// denominator), ranking order, what a click on a figure drills into, and the score chart.
import type { AreaRef, CategoryRef } from '@/core/api'
import type { T } from '@/core/logic/format'
import { DEADLINE_STEPS, type DeadlineStep } from '@/modules/timelimit/api'
import { EVAL_METRICS, type EvalCase, type EvalCounts, type EvalMethod, type EvalMetric, type EvalOutcome, type EvalRow, type Evaluation } from '../api'

/** The rates where less is better (重办率, 退单率, 挂起率); the score counts them inverted. */
export const LOWER_IS_BETTER: EvalMetric[] = ['reopen', 'return', 'suspension']
export const lowerIsBetter = (m: EvalMetric) => LOWER_IS_BETTER.includes(m)
/** The four rates the command centre shows. */
export const HEADLINE_METRICS: EvalMetric[] = ['response', 'on_time', 'resolution', 'satisfaction']
/** The six rates of the score, first in the table. */
export const MAIN_METRICS: EvalMetric[] = EVAL_METRICS.slice(0, 6)
/** The four rates beside them (其他指标): shown, scored only if the city weighs them. */
export const OTHER_METRICS: EvalMetric[] = EVAL_METRICS.slice(6)

/** The counts behind each rate: [numerator, denominator]. */
export const RATE_COUNTS: Record<EvalMetric, [keyof EvalCounts, keyof EvalCounts]> = {
  response: ['responded', 'dispatched'],
  on_time: ['on_time', 'due'],
  resolution: ['resolved', 'closed'],
  satisfaction: ['satisfied', 'rated'],
  reopen: ['reopened', 'closed'],
  return: ['returned', 'dispatched'],
  accuracy: ['accurate', 'sent'],
  suspension: ['suspended', 'dispatched'],
  first_fix: ['first_fix', 'closed'],
  participation: ['participated', 'closed'],
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)

/** A rate (0–1) as a percentage with one decimal: 0.875 → 87.5%; none → —. */
export function fmtRate(r: number | null | undefined): string {
  return finite(r) ? `${(Math.round(r * 1000) / 10).toFixed(1)}%` : '—'
}

/** A number with one decimal (hours, scores); none → —. */
export function fmtOne(x: number | null | undefined): string {
  return finite(x) ? (Math.round(x * 10) / 10).toFixed(1) : '—'
}

/** A weight as a whole percentage: 0.15 → 15%. */
export const fmtWeight = (w: number) => `${Math.round(w * 100)}%`

export type QuickPick = 'thisMonth' | 'lastMonth' | 'thisQuarter' | 'thisYear'
export const QUICK_PICKS: QuickPick[] = ['thisMonth', 'lastMonth', 'thisQuarter', 'thisYear']

const pad = (n: number) => String(n).padStart(2, '0')
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`
/** The last day of a month (1–12). */
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()

/** Today in China (UTC+8) as YYYY-MM-DD, whatever the machine's zone. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}

/** A quick pick's period (inclusive days) on `today`: this month, quarter, year so far, or last month. */
export function periodOf(pick: QuickPick, today: string): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number)
  switch (pick) {
    case 'thisMonth':
      return { from: ymd(y, m, 1), to: today }
    case 'lastMonth': {
      const [ly, lm] = m === 1 ? [y - 1, 12] : [y, m - 1]
      return { from: ymd(ly, lm, 1), to: ymd(ly, lm, lastDay(ly, lm)) }
    }
    case 'thisQuarter':
      return { from: ymd(y, Math.floor((m - 1) / 3) * 3 + 1, 1), to: today }
    case 'thisYear':
      return { from: ymd(y, 1, 1), to: today }
  }
}

/** The quick pick a period is, if any (to light its button). */
export function pickOf(from: string, to: string, today: string): QuickPick | null {
  return QUICK_PICKS.find((p) => {
    const x = periodOf(p, today)
    return x.from === from && x.to === to
  }) ?? null
}

export type SortKey = 'rank' | 'score' | 'name' | `rate:${EvalMetric}` | `hours:${DeadlineStep}`
export type SortOrder = 'ascending' | 'descending' | null

function sortValue(r: EvalRow, key: SortKey): number | string | null {
  if (key === 'rank') return r.rank
  if (key === 'score') return r.score
  if (key === 'name') return r.unit.name
  const [kind, k] = key.split(':')
  const v = kind === 'rate' ? r.rates?.[k as EvalMetric] : r.avg_hours?.[k as DeadlineStep]
  return finite(v) ? v : null
}

/**
 * The rows in a column's order; units without a figure ("—") go last either way. No order: the
 * server's ranking (unranked last), then by name.
 */
export function sortRows(rows: readonly EvalRow[], key: SortKey | null, order: SortOrder): EvalRow[] {
  const k: SortKey = order && key ? key : 'rank'
  const dir = order === 'descending' ? -1 : 1
  const byName = (a: EvalRow, b: EvalRow) => a.unit.name.localeCompare(b.unit.name, 'zh-CN')
  return [...rows].sort((a, b) => {
    const x = sortValue(a, k)
    const y = sortValue(b, k)
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1
    const c = typeof x === 'string' ? x.localeCompare(y as string, 'zh-CN') : x - (y as number)
    return c !== 0 ? c * dir : byName(a, b)
  })
}

/**
 * What a click on a figure shows: a rate → the cases that pulled it down (the late ones for
 * 按期办结率; the reopened ones for 重办率), a numerator → those counted, a denominator → all.
 */
export function drillOutcome(metric: EvalMetric, part: 'rate' | 'num' | 'den'): EvalOutcome {
  if (part === 'num') return 'hit'
  if (part === 'den') return 'all'
  return lowerIsBetter(metric) ? 'hit' : 'miss'
}

/** The i18n key of an outcome's name for a metric (按期 / 超期 / 全部 …). */
export const outcomeKey = (metric: EvalMetric, o: EvalOutcome) => (o === 'all' ? 'eval.outcome.all' : `eval.outcome.${metric}.${o}`)

/** The band of a score, for its colour. */
export function scoreBand(score: number | null | undefined): 'good' | 'fair' | 'poor' | 'bad' | 'none' {
  if (!finite(score)) return 'none'
  return score >= 90 ? 'good' : score >= 80 ? 'fair' : score >= 60 ? 'poor' : 'bad'
}
export const BAND_COLOURS = { good: '#16a34a', fair: '#2563eb', poor: '#f59e0b', bad: '#dc2626', none: '#9ca3af' } as const

/** How many units the chart shows at most (the best ones). */
export const CHART_MAX = 30

/** The score bar chart: scored units best first (at most CHART_MAX), coloured by band. */
export function scoreChart(rows: readonly EvalRow[], label: string) {
  const scored = rows.filter((r) => finite(r.score)).sort((a, b) => (b.score as number) - (a.score as number)).slice(0, CHART_MAX)
  return {
    count: scored.length,
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 40, right: 16, top: 24, bottom: scored.length > 8 ? 80 : 40 },
      xAxis: {
        type: 'category',
        data: scored.map((r) => r.unit.name),
        axisLabel: { interval: 0, rotate: scored.length > 8 ? 35 : 0, fontSize: 11, width: 90, overflow: 'truncate' },
      },
      yAxis: { type: 'value', min: 0, max: 100, name: label },
      series: [
        {
          type: 'bar',
          name: label,
          barMaxWidth: 36,
          data: scored.map((r) => ({ value: Math.round((r.score as number) * 10) / 10, itemStyle: { color: BAND_COLOURS[scoreBand(r.score)] } })),
          label: { show: scored.length <= 20, position: 'top', fontSize: 11 },
        },
      ],
    },
  }
}

/** The weights of the score in the metrics' order: those the server gave, but 0 (shown, not scored). */
export function weightList(e: Pick<Evaluation, 'weights'>): { metric: EvalMetric; weight: number }[] {
  return EVAL_METRICS.filter((m) => finite(e.weights?.[m]) && (e.weights[m] as number) > 0).map((m) => ({ metric: m, weight: e.weights[m] as number }))
}

/**
 * While the follow-up window of the period's last closures is open: the moment the figures
 * become final; null once final (or from a server that does not say).
 */
export function provisionalUntil(e: Pick<Evaluation, 'provisional' | 'final_at'>): string | null {
  return e.provisional && e.final_at ? e.final_at : null
}

/** One line of the method's count rules and limits: a label and its value, both for a person. */
export interface MethodFact { key: string; label: string; value: string }

/**
 * The method's count rules (回访期, 默认满意, attribution of towns and communities), its limits
 * (a limit left out shows 不限) and its minimum sample, as labelled lines.
 */
export function methodFacts(m: Pick<EvalMethod, 'count_rules' | 'limits' | 'rank_rules'>, t: T): MethodFact[] {
  const out: MethodFact[] = []
  const days = (n: number) => t('eval.facts.days', { n })
  const limit = (v: number | null | undefined, fmt: (n: number) => string) => (finite(v) ? fmt(v) : t('eval.facts.noLimit'))
  const c = m.count_rules
  if (c) {
    out.push({ key: 'follow_up_days', label: t('eval.facts.followUp'), value: days(c.follow_up_days) })
    out.push({
      key: 'default_satisfied_days',
      label: t('eval.facts.defaultSatisfied'),
      value: finite(c.default_satisfied_days) ? t('eval.facts.defaultSatisfiedOn', { n: c.default_satisfied_days }) : t('eval.facts.off'),
    })
    out.push({ key: 'town', label: t('eval.facts.town'), value: t('eval.facts.attribution.' + c.town) })
    out.push({ key: 'community', label: t('eval.facts.community'), value: t('eval.facts.attribution.' + c.community) })
  }
  const l = m.limits
  if (l) {
    out.push({ key: 'max_extensions', label: t('eval.facts.maxExtensions'), value: limit(l.max_extensions, (n) => t('eval.facts.times', { n })) })
    out.push({ key: 'max_extension_days', label: t('eval.facts.maxExtensionDays'), value: limit(l.max_extension_days, days) })
    out.push({ key: 'max_suspension_days', label: t('eval.facts.maxSuspensionDays'), value: limit(l.max_suspension_days, days) })
  }
  if (m.rank_rules && finite(m.rank_rules.min_cases)) {
    out.push({ key: 'min_cases', label: t('eval.facts.minCases'), value: t('eval.facts.cases', { n: m.rank_rules.min_cases }) })
  }
  return out
}

export { DEADLINE_STEPS as HOUR_STEPS }

/** A drilled case's category as text (the API may give a code or a reference). */
export function evalCaseCategory(c: Pick<EvalCase, 'category'>, locale: string): string {
  const x = c.category as string | CategoryRef | null
  if (!x) return ''
  if (typeof x === 'string') return x
  return locale === 'en' && x.name_en ? x.name_en : `${x.name}`
}

/** A drilled case's area as text: a code, a reference, or a path (its last level). */
export function evalCaseArea(c: Pick<EvalCase, 'area'>): string {
  const a = c.area as string | AreaRef | AreaRef[] | null
  if (!a) return ''
  if (typeof a === 'string') return a
  if (Array.isArray(a)) return a[a.length - 1]?.name ?? ''
  return a.name ?? a.code ?? ''
}

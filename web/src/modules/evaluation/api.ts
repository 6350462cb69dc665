// Evaluation's API (考核): the ranking of units over a period, the cases behind a figure, and the
// Excel export.
import type { AreaRef, CategoryRef } from '@/core/api'
import { query, request } from '@/core/http'
import type { CaseState } from '@/modules/case/api'
import type { DeadlineStep } from '@/modules/timelimit/api'

/** The units an evaluation ranks. */
export type EvalBy = 'department' | 'town' | 'community' | 'grid' | 'worker'
export const EVAL_BYS: EvalBy[] = ['department', 'town', 'community', 'grid', 'worker']
/** The rates: the six of the score, then four beside them (weighted 0 unless the city weighs them). */
export type EvalMetric =
  | 'response' | 'on_time' | 'resolution' | 'satisfaction' | 'reopen' | 'return'
  | 'accuracy' | 'suspension' | 'first_fix' | 'participation'
export const EVAL_METRICS: EvalMetric[] = [
  'response', 'on_time', 'resolution', 'satisfaction', 'reopen', 'return',
  'accuracy', 'suspension', 'first_fix', 'participation',
]
export type EvalOutcome = 'hit' | 'miss' | 'all'
export interface EvalCounts {
  dispatched: number
  responded: number
  due: number
  on_time: number
  closed: number
  resolved: number
  rated: number
  satisfied: number
  reopened: number
  returned: number
  /** 派单: dispatches made (派单准确率's denominator, for the dispatcher). */
  sent: number
  /** 派单准确: dispatches not returned as wrong dispatches. */
  accurate: number
  /** 挂起: dispatches whose handling was suspended. */
  suspended: number
  /** 一次办结: closures without a failed verification or a reopening. */
  first_fix: number
  /** 参评: closures the reporter rated within the follow-up window. */
  participated: number
}
export type EvalRates = Record<EvalMetric, number | null>
export type EvalHours = Record<DeadlineStep, number | null>
export interface EvalFigures { counts: EvalCounts; rates: EvalRates; avg_hours: EvalHours }
export interface EvalRow extends EvalFigures { rank: number | null; unit: { id: string; name: string }; score: number | null; thin?: string[] }
export interface Evaluation {
  period: { from: string; to: string }
  by: EvalBy
  /** The area evaluated: the reader's, or the one asked for inside it. */
  area?: AreaRef
  weights: Partial<Record<EvalMetric, number>>
  /** How small samples are treated: a rate on fewer cases is 样本不足. */
  rules?: { min_cases: number }
  /** When the figures were worked out (a question asked again within 30 s is answered from memory). */
  computed_at?: string
  /** The version of the method the figures were computed with. */
  method_version?: string
  /** True while the follow-up window (回访期) of the period's last closures is open: reopenings and ratings may still change the figures. */
  provisional?: boolean
  /** When the figures become final (RFC 3339). */
  final_at?: string
  rows: EvalRow[]
  total: EvalFigures
}
export interface EvalQuery { from: string; to: string; by: EvalBy; area?: string }
/** A case behind an evaluation figure. `category` and `area` may be codes or references. */
export interface EvalCase {
  id: string
  code: string
  category: string | CategoryRef
  state: CaseState
  area: string | AreaRef | AreaRef[]
  created_at: string
}

/** The query string of an evaluation (period, grouping, area) and of its drill-down. */
export function evalQuery(q: EvalQuery, extra: Record<string, string | undefined> = {}): string {
  return query({ from: q.from, to: q.to, by: q.by, area: q.area || undefined, ...extra })
}

/** The Excel export of an evaluation: a plain download link. */
export const evaluationExportUrl = (q: EvalQuery) => '/api/v1/evaluation/export.xlsx' + evalQuery(q)

/** One rate as the published method defines it. */
export interface RateRule { metric: EvalMetric; name: string; weight: number; lower_is_better: boolean; numerator: string; denominator: string; counted: string }
/** Which town or community a case counts for: where it lies, or the centre responsible for each step. */
export type Attribution = 'location' | 'responsibility'
/** How cases are counted: the follow-up window (回访期), the default rating (默认满意), attribution. */
export interface CountRules {
  follow_up_days: number
  /** Off (null) unless the city turns it on. */
  default_satisfied_days: number | null
  town: Attribution
  community: Attribution
}
/** The case loop's limits on extensions and suspensions; null is no limit. */
export interface MethodLimits {
  max_extensions: number | null
  max_extension_days: number | null
  max_suspension_days: number | null
}
/** 考核办法: the method in force (GET /evaluation/method), with the version figures carry. */
export interface EvalMethod {
  version: string
  title: string
  rank_rules: { min_cases: number }
  /** Absent from servers before the follow-up window. */
  count_rules?: CountRules
  limits?: MethodLimits
  rates: RateRule[]
  rules: string[]
}

export const evalApi = {
  evaluation: (q: EvalQuery) => request<Evaluation>('GET', '/evaluation' + evalQuery(q)),
  method: () => request<EvalMethod>('GET', '/evaluation/method'),
  evaluationCases: (q: EvalQuery, unit: string, metric: EvalMetric, outcome: EvalOutcome) =>
    request<{ items: EvalCase[]; count: number }>('GET', '/evaluation/cases' + evalQuery(q, { unit, metric, outcome })),
}

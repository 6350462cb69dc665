// Evaluation's API (考核): the ranking of units over a period, the cases behind a figure, and the
// Excel export.
import type { AreaRef, CategoryRef } from '@/core/api'
import { query, request } from '@/core/http'
import type { CaseState } from '@/modules/case/api'
import type { DeadlineStep } from '@/modules/timelimit/api'

/** The units an evaluation ranks. */
export type EvalBy = 'department' | 'town' | 'community' | 'grid' | 'worker'
export const EVAL_BYS: EvalBy[] = ['department', 'town', 'community', 'grid', 'worker']
export type EvalMetric = 'response' | 'on_time' | 'resolution' | 'satisfaction' | 'reopen' | 'return'
export const EVAL_METRICS: EvalMetric[] = ['response', 'on_time', 'resolution', 'satisfaction', 'reopen', 'return']
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
/** 考核办法: the method in force (GET /evaluation/method), with the version figures carry. */
export interface EvalMethod { version: string; title: string; rank_rules: { min_cases: number }; rates: RateRule[]; rules: string[] }

export const evalApi = {
  evaluation: (q: EvalQuery) => request<Evaluation>('GET', '/evaluation' + evalQuery(q)),
  method: () => request<EvalMethod>('GET', '/evaluation/method'),
  evaluationCases: (q: EvalQuery, unit: string, metric: EvalMetric, outcome: EvalOutcome) =>
    request<{ items: EvalCase[]; count: number }>('GET', '/evaluation/cases' + evalQuery(q, { unit, metric, outcome })),
}

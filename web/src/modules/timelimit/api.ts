// Time limits' API: the shapes of a step's deadline (carried on cases and their events), the red
// and yellow cards, and the working calendar (its years, loading a CSV, the deadline checker).
import { query, request } from '@/core/http'

/** The steps that run against a time limit: 受理, 派遣, 处置, 核查. */
export type DeadlineStep = 'accept' | 'dispatch' | 'handle' | 'verify'
export const DEADLINE_STEPS: DeadlineStep[] = ['accept', 'dispatch', 'handle', 'verify']
/** `hours` are natural hours (the calendar's own answers spell them `natural_hours`). */
export type TimeUnit = 'working_days' | 'working_hours' | 'hours' | 'natural_hours'
export interface TimeLimit { amount: number; unit: TimeUnit }
/** The current step's time limit of a case (or the one an event set). */
export interface StepDeadline {
  step: DeadlineStep
  started: string
  warn: string
  due: string
  limit: TimeLimit
  /** The count ran through a year the working calendar lacks: weekends only there. */
  weekends_only: boolean
  /** Set while the case is suspended (挂起): the clock stands still. */
  paused_at: string | null
}
/** red: overdue (超期); yellow: warning (预警). */
export type Card = 'red' | 'yellow'
export interface CardCounts { red: number; yellow: number }

/** The working calendar's years (`GET /admin/calendar`). */
export interface CalendarYear { year: number; source: 'shipped' | 'loaded'; loaded_at: string | null }
/** `GET /calendar/deadline`. */
export interface DeadlineCheck {
  start: string
  deadline: string
  rule: TimeLimit
  uncovered_years: number[]
  weekends_only: boolean
}

export const timelimitApi = {
  calendarYears: () => request<{ years: CalendarYear[] }>('GET', '/admin/calendar'),
  /** Loads a calendar CSV (`date,kind,name`); answers the years it covered. */
  loadCalendar: (csv: Blob | string) => request<{ years: number[] }>('POST', '/admin/calendar', csv, 'text/csv'),
  checkDeadline: (start: string, amount: number, unit: 'working_days' | 'working_hours' | 'hours') =>
    request<DeadlineCheck>('GET', '/calendar/deadline' + query({ start, [unit]: amount })),
}

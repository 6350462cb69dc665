import { describe, expect, it } from 'vitest'
import { evalQuery, evaluationExportUrl, type EvalRow } from '../api'
import { chinaToday, drillOutcome, evalCaseArea, evalCaseCategory, fmtOne, fmtRate, fmtWeight, outcomeKey, periodOf, pickOf, RATE_COUNTS, scoreBand, scoreChart, sortRows, weightList } from './evaluation'

const counts = { dispatched: 10, responded: 9, due: 8, on_time: 7, closed: 8, resolved: 7, rated: 6, satisfied: 5, reopened: 1, returned: 1 }
const rates = { response: 0.9, on_time: 0.875, resolution: 0.875, satisfaction: 0.833, reopen: 0.125, return: 0.1 }
const row = (name: string, rank: number | null, score: number | null, over: Partial<EvalRow['rates']> = {}, hours: Partial<EvalRow['avg_hours']> = {}): EvalRow => ({
  rank, unit: { id: name, name }, score, counts,
  rates: { ...rates, ...over },
  avg_hours: { accept: 1.2, dispatch: 0.5, handle: 30.1, verify: 3.0, ...hours },
})

describe('figures', () => {
  it('shows rates as percentages with one decimal, none as —', () => {
    expect(fmtRate(0.875)).toBe('87.5%')
    expect(fmtRate(0.8333333)).toBe('83.3%')
    expect(fmtRate(1)).toBe('100.0%')
    expect(fmtRate(0)).toBe('0.0%')
    expect(fmtRate(null)).toBe('—')
    expect(fmtRate(undefined)).toBe('—')
    expect(fmtRate(NaN)).toBe('—')
  })
  it('shows hours and scores with one decimal', () => {
    expect(fmtOne(30.14)).toBe('30.1')
    expect(fmtOne(0.05)).toBe('0.1')
    expect(fmtOne(92.5)).toBe('92.5')
    expect(fmtOne(null)).toBe('—')
    expect(fmtWeight(0.15)).toBe('15%')
  })
  it('knows the counts behind each rate', () => {
    for (const [m, [num, den]] of Object.entries(RATE_COUNTS)) {
      expect(counts[num] / counts[den]).toBeCloseTo(rates[m as keyof typeof rates], 2)
    }
  })
  it('lists the weights in order', () => {
    expect(weightList({ weights: { satisfaction: 0.25, response: 0.15, return: 0.05 } })).toEqual([
      { metric: 'response', weight: 0.15 },
      { metric: 'satisfaction', weight: 0.25 },
      { metric: 'return', weight: 0.05 },
    ])
  })
})

describe('periods', () => {
  it('takes today in China', () => {
    expect(chinaToday(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01')
    expect(chinaToday(new Date('2026-11-30T15:59:00Z'))).toBe('2026-11-30')
  })
  it('gives the quick picks', () => {
    expect(periodOf('thisMonth', '2026-11-23')).toEqual({ from: '2026-11-01', to: '2026-11-23' })
    expect(periodOf('lastMonth', '2026-11-23')).toEqual({ from: '2026-10-01', to: '2026-10-31' })
    expect(periodOf('lastMonth', '2026-03-05')).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(periodOf('lastMonth', '2028-03-05')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
    expect(periodOf('lastMonth', '2027-01-10')).toEqual({ from: '2026-12-01', to: '2026-12-31' })
    expect(periodOf('thisQuarter', '2026-11-23')).toEqual({ from: '2026-10-01', to: '2026-11-23' })
    expect(periodOf('thisQuarter', '2026-03-31')).toEqual({ from: '2026-01-01', to: '2026-03-31' })
    expect(periodOf('thisYear', '2026-11-23')).toEqual({ from: '2026-01-01', to: '2026-11-23' })
  })
  it('recognises a quick pick', () => {
    expect(pickOf('2026-10-01', '2026-10-31', '2026-11-23')).toBe('lastMonth')
    expect(pickOf('2026-11-01', '2026-11-23', '2026-11-23')).toBe('thisMonth')
    expect(pickOf('2026-11-02', '2026-11-23', '2026-11-23')).toBeNull()
  })
  it('builds the query and the export link', () => {
    const q = { from: '2026-11-01', to: '2026-11-23', by: 'department' as const }
    expect(evalQuery(q)).toBe('?from=2026-11-01&to=2026-11-23&by=department')
    expect(evalQuery({ ...q, area: '371002' }, { unit: 'wh-urban', metric: 'on_time', outcome: 'miss' })).toBe(
      '?from=2026-11-01&to=2026-11-23&by=department&area=371002&unit=wh-urban&metric=on_time&outcome=miss',
    )
    expect(evaluationExportUrl({ ...q, area: '' })).toBe('/api/v1/evaluation/export.xlsx?from=2026-11-01&to=2026-11-23&by=department')
  })
})

describe('ranking', () => {
  const rows = [
    row('乙', 2, 88, { on_time: 0.5 }, { handle: null }),
    row('甲', 1, 92.5, { on_time: null }, { handle: 10 }),
    row('丙', null, null, { on_time: 0.9 }, { handle: 50 }),
    row('丁', 3, 70, { on_time: 0.7 }, { handle: 20 }),
  ]
  const names = (r: EvalRow[]) => r.map((x) => x.unit.name)
  it("keeps the server's ranking, unranked last", () => {
    expect(names(sortRows(rows, null, null))).toEqual(['甲', '乙', '丁', '丙'])
  })
  it('sorts by a rate either way with no figure last', () => {
    expect(names(sortRows(rows, 'rate:on_time', 'descending'))).toEqual(['丙', '丁', '乙', '甲'])
    expect(names(sortRows(rows, 'rate:on_time', 'ascending'))).toEqual(['乙', '丁', '丙', '甲'])
  })
  it('sorts by score and hours', () => {
    expect(names(sortRows(rows, 'score', 'descending'))).toEqual(['甲', '乙', '丁', '丙'])
    expect(names(sortRows(rows, 'hours:handle', 'ascending'))).toEqual(['甲', '丁', '丙', '乙'])
  })
  it('does not touch the rows it is given', () => {
    const copy = [...rows]
    sortRows(rows, 'score', 'ascending')
    expect(rows).toEqual(copy)
  })
})

describe('drill-down', () => {
  it('shows what pulled a rate down, or what a count counts', () => {
    expect(drillOutcome('on_time', 'rate')).toBe('miss')
    expect(drillOutcome('satisfaction', 'rate')).toBe('miss')
    expect(drillOutcome('reopen', 'rate')).toBe('hit')
    expect(drillOutcome('return', 'rate')).toBe('hit')
    expect(drillOutcome('on_time', 'num')).toBe('hit')
    expect(drillOutcome('on_time', 'den')).toBe('all')
    expect(outcomeKey('on_time', 'miss')).toBe('eval.outcome.on_time.miss')
    expect(outcomeKey('reopen', 'all')).toBe('eval.outcome.all')
  })
  it('reads the category and area of a drilled case in any shape', () => {
    expect(evalCaseCategory({ category: '0102' }, 'zh-CN')).toBe('0102')
    expect(evalCaseCategory({ category: { code: '0102', name: '暴露垃圾', name_en: 'Exposed rubbish' } }, 'en')).toBe('Exposed rubbish')
    expect(evalCaseArea({ area: '371002001001' })).toBe('371002001001')
    expect(evalCaseArea({ area: { code: '371002001', name: '环翠楼街道', level: 'town' } })).toBe('环翠楼街道')
    expect(evalCaseArea({ area: [{ code: '3710', name: '威海市', level: 'city' }, { code: '371002', name: '环翠区', level: 'county' }] })).toBe('环翠区')
  })
})

describe('the score chart', () => {
  it('bars the scored units best first, coloured by band', () => {
    const c = scoreChart([row('乙', 2, 88), row('丙', null, null), row('甲', 1, 92.54), row('丁', 3, 55)], '综合得分')
    expect(c.count).toBe(3)
    expect(c.option.xAxis.data).toEqual(['甲', '乙', '丁'])
    expect(c.option.series[0].data.map((d) => d.value)).toEqual([92.5, 88, 55])
    expect(c.option.series[0].data.map((d) => d.itemStyle.color)).toEqual(['#16a34a', '#2563eb', '#dc2626'])
  })
  it('bands scores', () => {
    expect([95, 85, 65, 30, null].map(scoreBand)).toEqual(['good', 'fair', 'poor', 'bad', 'none'])
  })
  it('keeps to the best 30', () => {
    const many = Array.from({ length: 40 }, (_, i) => row('u' + i, i + 1, 100 - i))
    expect(scoreChart(many, 's').count).toBe(30)
  })
})

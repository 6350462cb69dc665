import { describe, expect, it } from 'vitest'
import { tOf } from '@/core/logic/testing'
import en from '../i18n/en'
import zh from '../i18n/zh-CN'
import { EVAL_METRICS, evalQuery, evaluationExportUrl, type EvalRow } from '../api'
import {
  chinaToday, drillOutcome, evalCaseArea, evalCaseCategory, fmtOne, fmtRate, fmtWeight, lowerIsBetter, MAIN_METRICS, methodFacts, OTHER_METRICS, outcomeKey,
  periodOf, pickOf, provisionalUntil, RATE_COUNTS, scoreBand, scoreChart, sortRows, weightList,
} from './evaluation'

const counts = {
  dispatched: 10, responded: 9, due: 8, on_time: 7, closed: 8, resolved: 7, rated: 6, satisfied: 5, reopened: 1, returned: 1,
  sent: 12, accurate: 9, suspended: 2, first_fix: 6, participated: 4,
}
const rates = {
  response: 0.9, on_time: 0.875, resolution: 0.875, satisfaction: 0.833, reopen: 0.125, return: 0.1,
  accuracy: 0.75, suspension: 0.2, first_fix: 0.75, participation: 0.5,
}
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
    expect(Object.keys(RATE_COUNTS).sort()).toEqual([...EVAL_METRICS].sort())
    for (const [m, [num, den]] of Object.entries(RATE_COUNTS)) {
      expect(counts[num] / counts[den]).toBeCloseTo(rates[m as keyof typeof rates], 2)
    }
    expect(RATE_COUNTS.accuracy).toEqual(['accurate', 'sent'])
    expect(RATE_COUNTS.suspension).toEqual(['suspended', 'dispatched'])
    expect(RATE_COUNTS.first_fix).toEqual(['first_fix', 'closed'])
    expect(RATE_COUNTS.participation).toEqual(['participated', 'closed'])
    // every count and rate has its name, in both languages
    for (const [num, den] of Object.values(RATE_COUNTS)) for (const c of [num, den]) {
      expect(zh.eval.count[c], c).toBeTruthy()
      expect(en.eval.count[c], c).toBeTruthy()
    }
    for (const m of EVAL_METRICS) expect([zh.eval.metric[m], en.eval.metric[m], zh.eval.outcome[m].hit, zh.eval.outcome[m].miss].every(Boolean), m).toBe(true)
  })
  it('keeps the six rates of the score first, then the four beside them', () => {
    expect(EVAL_METRICS).toEqual(['response', 'on_time', 'resolution', 'satisfaction', 'reopen', 'return', 'accuracy', 'suspension', 'first_fix', 'participation'])
    expect(MAIN_METRICS).toEqual(EVAL_METRICS.slice(0, 6))
    expect(OTHER_METRICS).toEqual(['accuracy', 'suspension', 'first_fix', 'participation'])
  })
  it('knows the rates where less is better: reopened, returned, suspended', () => {
    expect(EVAL_METRICS.filter(lowerIsBetter)).toEqual(['reopen', 'return', 'suspension'])
  })
  it('lists the weights of the score in order, leaving out those weighted 0', () => {
    expect(weightList({ weights: { satisfaction: 0.25, response: 0.15, return: 0.05 } })).toEqual([
      { metric: 'response', weight: 0.15 },
      { metric: 'satisfaction', weight: 0.25 },
      { metric: 'return', weight: 0.05 },
    ])
    const ten = { response: 0.15, on_time: 0.3, resolution: 0.2, satisfaction: 0.25, reopen: 0.05, return: 0.05, accuracy: 0, suspension: 0, first_fix: 0.1, participation: 0 }
    expect(weightList({ weights: ten }).map((w) => w.metric)).toEqual(['response', 'on_time', 'resolution', 'satisfaction', 'reopen', 'return', 'first_fix'])
  })
  it('says until when the figures are provisional', () => {
    expect(provisionalUntil({ provisional: true, final_at: '2026-12-07T16:00:00Z' })).toBe('2026-12-07T16:00:00Z')
    expect(provisionalUntil({ provisional: false, final_at: '2026-12-07T16:00:00Z' })).toBeNull()
    expect(provisionalUntil({})).toBeNull()
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
    expect(drillOutcome('suspension', 'rate')).toBe('hit')
    expect(drillOutcome('accuracy', 'rate')).toBe('miss')
    expect(drillOutcome('first_fix', 'rate')).toBe('miss')
    expect(drillOutcome('participation', 'den')).toBe('all')
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

describe('the method', () => {
  const method = {
    rank_rules: { min_cases: 5 },
    count_rules: { follow_up_days: 7, default_satisfied_days: null, town: 'location' as const, community: 'responsibility' as const },
    limits: { max_extensions: 2, max_extension_days: 30, max_suspension_days: null },
  }
  it('lists the count rules, the limits (不限 when none) and the minimum sample', () => {
    const zhFacts = methodFacts(method, tOf('zh-CN'))
    expect(zhFacts.map((f) => [f.key, f.label, f.value])).toEqual([
      ['follow_up_days', '回访期', '7 天'],
      ['default_satisfied_days', '默认满意', '未启用'],
      ['town', '镇街考核归属', '按工单所在地（属地）'],
      ['community', '村社区考核归属', '按各环节的责任中心'],
      ['max_extensions', '每件最多延期', '2 次'],
      ['max_extension_days', '累计延期上限', '30 天'],
      ['max_suspension_days', '挂起自动恢复', '不限'],
      ['min_cases', '最少样本', '5 件'],
    ])
    const enFacts = methodFacts({ ...method, count_rules: { ...method.count_rules, default_satisfied_days: 3 } }, tOf('en'))
    expect(enFacts.find((f) => f.key === 'default_satisfied_days')?.value).toBe('satisfied when not rated within 3 days of closure')
    expect(enFacts.find((f) => f.key === 'max_suspension_days')?.value).toBe('no limit')
  })
  it('lists only the minimum sample from a server without count rules and limits', () => {
    expect(methodFacts({ rank_rules: { min_cases: 3 } }, tOf('zh-CN')).map((f) => f.key)).toEqual(['min_cases'])
  })
})

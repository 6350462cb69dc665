import { describe, expect, it } from 'vitest'
import en from '../i18n/en'
import zh from '../i18n/zh-CN'
import type { Action } from '../api'
import { ACTION_FIELDS, buildBody, DANGER_ACTIONS, dispatchAreas, emptyForm, isRequired, PRIMARY_ACTIONS } from './actions'

const now = new Date('2026-11-23T10:00:00Z')

describe('buildBody', () => {
  it('knows every action of the API', () => {
    const all: Action[] = [
      'accept', 'reject', 'dispatch', 'claim', 'return', 'review_return', 'request_extension', 'decide_extension', 'handle', 'verify', 'rate',
      'escalate', 'supervise', 'merge', 'suspend', 'request_suspension', 'decide_suspension', 'resume', 'close_on_spot', 'instruct', 'reopen', 'locate',
      'reclassify', 'recall', 'set_deadline',
    ]
    expect(Object.keys(ACTION_FIELDS).sort()).toEqual([...all].sort())
    for (const a of all) expect(zh.action[a], a).toBeTruthy()
    for (const a of all) expect(en.action[a], a).toBeTruthy()
    // every field's label, in both languages
    for (const a of all) for (const spec of ACTION_FIELDS[a]) {
      const key = (spec.label ?? spec.name) as keyof typeof zh.field
      expect(zh.field[key], `${a}.${spec.name}`).toBeTruthy()
      expect(en.field[key], `${a}.${spec.name}`).toBeTruthy()
    }
  })

  it('sends no body fields for claim and drops blank optional text', () => {
    expect(buildBody('claim', emptyForm('claim'), now)).toEqual({ ok: true, body: {} })
    expect(buildBody('accept', { note: '  ' }, now)).toEqual({ ok: true, body: {} })
    expect(buildBody('accept', { note: ' ok ' }, now)).toEqual({ ok: true, body: { note: 'ok' } })
  })

  it('names the missing required field', () => {
    expect(buildBody('reject', { reason: '' }, now)).toEqual({ ok: false, field: 'reason' })
    expect(buildBody('handle', {}, now)).toEqual({ ok: false, field: 'feedback' })
    expect(buildBody('close_on_spot', { evidence: ' ' }, now)).toEqual({ ok: false, field: 'evidence' })
  })

  it('dispatches to exactly one of department or area', () => {
    expect(buildBody('dispatch', { target: 'department', department: '', area: '371002001' }, now)).toEqual({ ok: false, field: 'department' })
    expect(buildBody('dispatch', { target: 'department', department: 'wh-urban', area: '371002001', instructions: '' }, now)).toEqual({ ok: true, body: { department: 'wh-urban' } })
    expect(buildBody('dispatch', { target: 'area', department: 'wh-urban', area: '371002001', instructions: '今天' }, now)).toEqual({ ok: true, body: { area: '371002001', instructions: '今天' } })
  })

  it('requires a comment when verification fails', () => {
    expect(buildBody('verify', { passed: true, comment: '' }, now)).toEqual({ ok: true, body: { passed: true } })
    expect(buildBody('verify', { passed: false, comment: '' }, now)).toEqual({ ok: false, field: 'comment' })
    expect(buildBody('verify', { passed: false, comment: '未清理干净' }, now)).toEqual({ ok: true, body: { passed: false, comment: '未清理干净' } })
  })

  it('accepts a return when chosen, and refuses one only with a comment', () => {
    expect(emptyForm('review_return')).toEqual({ accepted: null, comment: '' })
    expect(buildBody('review_return', emptyForm('review_return'), now)).toEqual({ ok: false, field: 'accepted' })
    expect(buildBody('review_return', { accepted: true, comment: '  ' }, now)).toEqual({ ok: true, body: { accepted: true } })
    expect(buildBody('review_return', { accepted: false, comment: '' }, now)).toEqual({ ok: false, field: 'comment' })
    expect(buildBody('review_return', { accepted: false, comment: ' ' }, now)).toEqual({ ok: false, field: 'comment' })
    expect(buildBody('review_return', { accepted: false, comment: ' 属于本部门职责 ' }, now)).toEqual({ ok: true, body: { accepted: false, comment: '属于本部门职责' } })
    const comment = ACTION_FIELDS.review_return.find((s) => s.name === 'comment')!
    expect(isRequired('review_return', comment, { accepted: true })).toBe(false)
    expect(isRequired('review_return', comment, { accepted: false })).toBe(true)
    expect(PRIMARY_ACTIONS).toContain('review_return')
  })

  it('asks for the reason of a suspension, and decides one like an extension', () => {
    expect(buildBody('request_suspension', { reason: '' }, now)).toEqual({ ok: false, field: 'reason' })
    expect(buildBody('request_suspension', { reason: '等待产权单位答复' }, now)).toEqual({ ok: true, body: { reason: '等待产权单位答复' } })
    expect(buildBody('decide_suspension', emptyForm('decide_suspension'), now)).toEqual({ ok: false, field: 'granted' })
    expect(buildBody('decide_suspension', { granted: true, reason: '' }, now)).toEqual({ ok: true, body: { granted: true } })
    expect(buildBody('decide_suspension', { granted: false, reason: '可先行处置' }, now)).toEqual({ ok: true, body: { granted: false, reason: '可先行处置' } })
    expect(ACTION_FIELDS.decide_suspension[0].label).toBe('decision')
  })

  it('wants an extension date in the future, sent as RFC 3339', () => {
    expect(buildBody('request_extension', { until: '2026-11-22T10:00:00Z', reason: 'x' }, now)).toEqual({ ok: false, field: 'until' })
    expect(buildBody('request_extension', { until: 'garbage', reason: 'x' }, now)).toEqual({ ok: false, field: 'until' })
    expect(buildBody('request_extension', { until: '2026-11-30T10:00:00Z', reason: '等材料' }, now)).toEqual({
      ok: true,
      body: { until: '2026-11-30T10:00:00.000Z', reason: '等材料' },
    })
  })

  it('sends decisions and ratings', () => {
    expect(buildBody('decide_extension', { granted: true, reason: '' }, now)).toEqual({ ok: true, body: { granted: true } })
    expect(buildBody('decide_extension', { granted: 'false', reason: ' 可按期完成 ' }, now)).toEqual({ ok: true, body: { granted: false, reason: '可按期完成' } })
    expect(buildBody('rate', { rating: 'unsatisfied', comment: '' }, now)).toEqual({ ok: true, body: { rating: 'unsatisfied' } })
    expect(buildBody('rate', { rating: '', comment: '' }, now)).toEqual({ ok: false, field: 'rating' })
  })
})

describe('decisions (核查, 审批延期, 审批挂起, 退单审核)', () => {
  const decisions: [Action, string][] = [['verify', 'passed'], ['decide_extension', 'granted'], ['decide_suspension', 'granted'], ['review_return', 'accepted']]

  it('start with nothing chosen, not with a yes', () => {
    for (const [a, name] of decisions) {
      expect(emptyForm(a)[name], a).toBeNull()
      const spec = ACTION_FIELDS[a].find((s) => s.name === name)!
      expect(spec.kind, a).toBe('decision')
      expect(isRequired(a, spec, emptyForm(a)), a).toBe(true)
    }
  })

  it('refuse a decision left blank, naming it, before anything else', () => {
    for (const [a, name] of decisions) {
      expect(buildBody(a, emptyForm(a), now), a).toEqual({ ok: false, field: name })
      expect(buildBody(a, { ...emptyForm(a), [name]: undefined, comment: 'x', reason: 'x' }, now), a).toEqual({ ok: false, field: name })
      expect(buildBody(a, { ...emptyForm(a), [name]: '' }, now), a).toEqual({ ok: false, field: name })
      expect(buildBody(a, { ...emptyForm(a), [name]: true }, now), a).toEqual({ ok: true, body: { [name]: true } })
    }
    // a failed verification and a refused return still need a comment; a refused extension does not
    expect(buildBody('verify', { passed: false, comment: '' }, now)).toEqual({ ok: false, field: 'comment' })
    expect(buildBody('review_return', { accepted: false, comment: '' }, now)).toEqual({ ok: false, field: 'comment' })
    expect(buildBody('decide_extension', { granted: false, reason: '' }, now)).toEqual({ ok: true, body: { granted: false } })
    expect(buildBody('decide_suspension', { granted: false, reason: '' }, now)).toEqual({ ok: true, body: { granted: false } })
  })

  it('name both choices in both languages', () => {
    for (const [, name] of decisions) {
      const key = name as keyof typeof zh.decision
      const [z, e] = [zh.decision[key] as { yes: string; no: string }, en.decision[key] as { yes: string; no: string }]
      expect([z.yes, z.no, e.yes, e.no].every(Boolean), name).toBe(true)
    }
    expect([zh.decision.passed, zh.decision.granted, zh.decision.accepted]).toEqual([
      { yes: '通过', no: '不通过' },
      { yes: '同意', no: '不同意' },
      { yes: '同意退回', no: '不同意退回' },
    ])
    expect([en.decision.passed, en.decision.granted, en.decision.accepted]).toEqual([
      { yes: 'Pass', no: 'Fail' },
      { yes: 'Grant', no: 'Refuse' },
      { yes: 'Accept the return', no: 'Refuse the return' },
    ])
  })
})

describe('corrections (改类, 撤回派遣)', () => {
  it('reclassifies to a chosen category, with a reason, the priority only when chosen', () => {
    expect(emptyForm('reclassify')).toEqual({ category: '', priority: '', reason: '' })
    // no category by default: the case's own would be refused as no change
    expect(buildBody('reclassify', emptyForm('reclassify'), now)).toEqual({ ok: false, field: 'category' })
    expect(buildBody('reclassify', { category: ' ', priority: '', reason: '派错类别' }, now)).toEqual({ ok: false, field: 'category' })
    expect(buildBody('reclassify', { category: '0201', priority: '', reason: '' }, now)).toEqual({ ok: false, field: 'reason' })
    expect(buildBody('reclassify', { category: '0201', priority: null, reason: '  ' }, now)).toEqual({ ok: false, field: 'reason' })
    expect(buildBody('reclassify', { category: '0201', priority: '', reason: ' 实为私搭乱建 ' }, now)).toEqual({
      ok: true,
      body: { category: '0201', reason: '实为私搭乱建' },
    })
    expect(buildBody('reclassify', { category: '0201', priority: 'urgent', reason: '涉及安全' }, now)).toEqual({
      ok: true,
      body: { category: '0201', priority: 'urgent', reason: '涉及安全' },
    })
    expect(buildBody('reclassify', { category: '0201', priority: 'asap', reason: 'x' }, now)).toEqual({ ok: false, field: 'priority' })
    const [category, priority, reason] = ACTION_FIELDS.reclassify
    expect([category.kind, priority.kind, reason.kind]).toEqual(['category', 'priority', 'textarea'])
    expect(isRequired('reclassify', category, {})).toBe(true)
    expect(isRequired('reclassify', priority, {})).toBe(false)
    expect(isRequired('reclassify', reason, {})).toBe(true)
  })

  it('recalls a dispatch only with a reason, styled as a warning', () => {
    expect(emptyForm('recall')).toEqual({ reason: '' })
    expect(buildBody('recall', emptyForm('recall'), now)).toEqual({ ok: false, field: 'reason' })
    expect(buildBody('recall', { reason: ' 派错部门 ' }, now)).toEqual({ ok: true, body: { reason: '派错部门' } })
    expect(DANGER_ACTIONS).toContain('recall')
    expect(PRIMARY_ACTIONS).not.toContain('recall')
    expect(PRIMARY_ACTIONS).not.toContain('reclassify')
  })

  it('names them and their fields in both languages', () => {
    expect([zh.action.reclassify, zh.action.recall, zh.field.category, zh.field.priority]).toEqual(['改类', '撤回派遣', '类别', '紧急程度'])
    expect([en.action.reclassify, en.action.recall, en.field.category, en.field.priority]).toEqual(['Reclassify', 'Recall dispatch', 'Category', 'Priority'])
  })
})

describe('dispatchAreas', () => {
  const area = [
    { code: '37', name: '山东省', level: 'province' as const },
    { code: '3710', name: '威海市', level: 'city' as const },
    { code: '371002', name: '环翠区', level: 'county' as const },
    { code: '371002001', name: '环翠楼街道', level: 'town' as const },
    { code: '371002001001', name: '某社区', level: 'village' as const },
  ]
  it('offers only the areas below the owning centre on the path to the case', () => {
    expect(dispatchAreas({ area, owner_area: area[2] }).map((a) => a.code)).toEqual(['371002001', '371002001001'])
    expect(dispatchAreas({ area, owner_area: area[4] })).toEqual([])
  })
})

describe('photos of an action', () => {
  it('sends the uploaded photos of handle and close_on_spot as attachments, none when empty', () => {
    expect(emptyForm('handle')).toEqual({ feedback: '', attachments: [] })
    expect(buildBody('handle', { feedback: ' 已清运 ', attachments: [] })).toEqual({ ok: true, body: { feedback: '已清运' } })
    expect(buildBody('handle', { feedback: '已清运', attachments: ['p1', 'p2'] })).toEqual({ ok: true, body: { feedback: '已清运', attachments: ['p1', 'p2'] } })
    expect(buildBody('close_on_spot', { evidence: '已清除', attachments: ['p1'] })).toEqual({ ok: true, body: { evidence: '已清除', attachments: ['p1'] } })
    const ten = Array.from({ length: 10 }, (_, i) => 'p' + i)
    expect((buildBody('handle', { feedback: 'x', attachments: ten }) as unknown as { body: { attachments: string[] } }).body.attachments).toHaveLength(9)
  })
})

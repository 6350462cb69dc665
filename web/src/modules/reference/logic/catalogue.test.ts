import { describe, expect, it } from 'vitest'
import { categoryBody, categoryFormOf, codeProblem, emptyCategoryForm, departmentBody, emptyDepartmentForm } from './catalogue'

describe('departmentBody', () => {
  it('needs an id not taken, a name, an area and a category', () => {
    const f = { ...emptyDepartmentForm('3710'), id: 'wh-parks', name: ' 威海市园林局 ', name_en: ' Parks ', categories: ['0105'] }
    expect(departmentBody(f)).toEqual({ ok: true, id: 'wh-parks', body: { name: '威海市园林局', name_en: 'Parks', area: '3710', categories: ['0105'] } })
    expect(departmentBody(f, ['wh-parks'])).toEqual({ ok: false, field: 'id' })
    expect(departmentBody({ ...f, name: '' })).toEqual({ ok: false, field: 'name' })
    expect(departmentBody({ ...f, area: '' })).toEqual({ ok: false, field: 'area' })
    expect(departmentBody({ ...f, categories: [] })).toEqual({ ok: false, field: 'categories' })
  })
})

describe('categoryBody', () => {
  const cats = ['01', '0101', '02']
  const f = { ...emptyCategoryForm(), code: '0199', name: ' 共享单车乱停 ', name_en: ' Bike parking ', priority: 'high' as const, handling_level: 'town' as const }
  it('builds the body of a new subclass whose main class exists', () => {
    expect(categoryBody(f, cats)).toEqual({ ok: true, code: '0199', body: { name: '共享单车乱停', name_en: 'Bike parking', priority: 'high', handling_level: 'town' } })
    expect(categoryBody({ ...f, code: '03' }, cats).ok).toBe(true)
  })
  it('refuses a code of the wrong form, taken, or without its main class', () => {
    for (const code of ['', '1', '123', '01a1', '010101']) expect(categoryBody({ ...f, code }, cats)).toEqual({ ok: false, field: 'code' })
    expect(categoryBody({ ...f, code: '0101' }, cats)).toEqual({ ok: false, field: 'code' })
    expect(categoryBody({ ...f, code: '0901' }, cats)).toEqual({ ok: false, field: 'code' })
    expect(codeProblem('1', cats)).toBe('format')
    expect(codeProblem('0101', cats)).toBe('taken')
    expect(codeProblem('0901', cats)).toBe('noMain')
    expect(codeProblem('0102', cats)).toBeNull()
  })
  it('edits an existing category by its code, and needs a name', () => {
    const c = { code: '0101', name: '暴露垃圾', name_en: 'Exposed rubbish', parent: '01', priority: 'normal' as const, handling_level: 'county' as const }
    expect(categoryBody({ ...categoryFormOf(c), name_en: 'Rubbish' })).toEqual({
      ok: true, code: '0101', body: { name: '暴露垃圾', name_en: 'Rubbish', priority: 'normal', handling_level: 'county' },
    })
    expect(categoryBody({ ...categoryFormOf(c), name: ' ' })).toEqual({ ok: false, field: 'name' })
  })
})

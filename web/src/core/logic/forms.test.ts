import { describe, expect, it } from 'vitest'
import { errorField, formError } from './forms'

describe('errorField', () => {
  it('maps the API error to the form input', () => {
    expect(errorField({ code: 'invalid_field', field: 'password' })).toBe('password')
    expect(errorField({ code: 'invalid_field', field: 'categories[3]' })).toBe('categories')
    expect(errorField({ code: 'duplicate', field: null })).toBe('username')
    expect(errorField({ code: 'duplicate', field: null }, 'id')).toBe('id')
    expect(errorField({ code: 'forbidden', field: null })).toBeNull()
  })
})

describe('formError', () => {
  const t = (k: string) => (k === 'errors.forbidden' ? '无权执行此操作' : k)
  const bad = (f: string) => 'admin.bad.' + f
  it("puts a field's refusal on that field, then what the server said", () => {
    expect(formError(t, { code: 'invalid_field', field: 'password', message: 'too short' }, ['password'], 'username', bad)).toEqual({ field: 'password', text: 'admin.bad.password（too short）' })
    expect(formError(t, { code: 'duplicate', field: null, message: 'taken' }, ['username'], 'username', bad)).toEqual({ field: 'username', text: 'admin.bad.username（taken）' })
  })
  it('puts anything else above the buttons', () => {
    expect(formError(t, { code: 'forbidden', field: null, message: '' }, ['password'], 'username', bad)).toEqual({ field: null, text: '无权执行此操作' })
    expect(formError(t, { code: 'invalid_field', field: 'other', message: 'x' }, ['password'], 'username', bad).field).toBeNull()
  })
})

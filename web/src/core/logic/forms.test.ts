import { describe, expect, it } from 'vitest'
import { ApiError } from '../http'
import { errorField, formError } from './forms'
import { tOf } from './testing'

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
  it("words what goes above the buttons in the reader's language, not the API's English", () => {
    const zh = tOf('zh-CN')
    expect(formError(zh, new TypeError('Failed to fetch'), ['password'], 'username', bad)).toEqual({ field: null, text: '无法连接服务器，请检查网络' })
    const conflict = new ApiError(409, 'conflict', 'user changed meanwhile; retry')
    expect(formError(zh, conflict, ['password'], 'username', bad)).toEqual({ field: null, text: '数据已被他人修改，请刷新后重试' })
    expect(formError(tOf('en'), conflict, ['password'], 'username', bad, 'en').text).toBe('Someone else changed this meanwhile; refresh and retry')
  })
})

import { describe, expect, it } from 'vitest'
import type { User } from '@/core/api'
import { emptyUserForm, filterUsers, newUserBody, userFormOf, userUpdateBody } from './users'

const handler: User = { id: 'u1', username: 'handler', display_name: '执法局 张三', role: 'department_handler', scope: '3710', department: 'wh-urban' }
const worker: User = { id: 'u2', username: 'worker', display_name: '网格员 李四', role: 'grid_worker', scope: '371002001001', department: null }

describe('userUpdateBody', () => {
  it('sends nothing when nothing changed', () => {
    expect(userUpdateBody(handler, userFormOf(handler))).toEqual({ ok: true, body: {} })
  })
  it('sends only the changed fields', () => {
    const f = { ...userFormOf(worker), display_name: ' 网格员 王五 ', scope: '371002001002' }
    expect(userUpdateBody(worker, f)).toEqual({ ok: true, body: { display_name: '网格员 王五', scope: '371002001002' } })
  })
  it('removes the department when the role no longer has one', () => {
    const f = { ...userFormOf(handler), role: 'town_dispatcher' as const }
    expect(userUpdateBody(handler, f)).toEqual({ ok: true, body: { role: 'town_dispatcher', department: null } })
    // ...even when the form still holds the old department.
    expect(userUpdateBody(handler, { ...f, department: 'wh-urban' }).ok && userUpdateBody(handler, { ...f, department: 'wh-urban' })).toMatchObject({ body: { department: null } })
  })
  it('does not send department null when there was none', () => {
    expect(userUpdateBody(worker, { ...userFormOf(worker), role: 'community_admin' })).toEqual({ ok: true, body: { role: 'community_admin' } })
  })
  it('needs a department when the role becomes department handler', () => {
    const f = { ...userFormOf(worker), role: 'department_handler' as const }
    expect(userUpdateBody(worker, f)).toEqual({ ok: false, field: 'department' })
    expect(userUpdateBody(worker, { ...f, department: 'wh-water' })).toEqual({ ok: true, body: { role: 'department_handler', department: 'wh-water' } })
  })
  it('changes the department of a handler, and the password only when typed', () => {
    expect(userUpdateBody(handler, { ...userFormOf(handler), department: 'wh-water', password: 'secret-123' })).toEqual({
      ok: true,
      body: { department: 'wh-water', password: 'secret-123' },
    })
  })
  it('keeps a blank display name as it was', () => {
    expect(userUpdateBody(worker, { ...userFormOf(worker), display_name: '  ' })).toEqual({ ok: true, body: {} })
  })
})

describe('newUserBody', () => {
  it('asks for the fields the API needs, in form order', () => {
    expect(newUserBody(emptyUserForm())).toEqual({ ok: false, field: 'username' })
    expect(newUserBody({ ...emptyUserForm(), username: 'w2' })).toEqual({ ok: false, field: 'role' })
    expect(newUserBody({ ...emptyUserForm(), username: 'w2', role: 'grid_worker' })).toEqual({ ok: false, field: 'scope' })
    expect(newUserBody({ ...emptyUserForm('3710'), username: 'w2', role: 'department_handler' })).toEqual({ ok: false, field: 'department' })
    expect(newUserBody({ ...emptyUserForm('3710'), username: 'w2', role: 'grid_worker' })).toEqual({ ok: false, field: 'password' })
  })
  it('sends a department only for handlers, and the display name when given', () => {
    const f = { ...emptyUserForm('371002001001'), username: ' w2 ', role: 'grid_worker' as const, department: 'wh-urban', password: 'pass-word-1' }
    expect(newUserBody(f)).toEqual({ ok: true, body: { username: 'w2', role: 'grid_worker', scope: '371002001001', password: 'pass-word-1' } })
    expect(newUserBody({ ...f, role: 'department_handler', display_name: '张三' })).toEqual({
      ok: true,
      body: { username: 'w2', role: 'department_handler', scope: '371002001001', password: 'pass-word-1', department: 'wh-urban', display_name: '张三' },
    })
  })
})

describe('filterUsers', () => {
  it('filters by role and by text in the username or display name', () => {
    expect(filterUsers([handler, worker], '', '')).toHaveLength(2)
    expect(filterUsers([handler, worker], 'grid_worker', '')).toEqual([worker])
    expect(filterUsers([handler, worker], '', '张三')).toEqual([handler])
    expect(filterUsers([handler, worker], '', 'WORK')).toEqual([worker])
    expect(filterUsers([handler, worker], 'grid_worker', '张三')).toEqual([])
  })
})

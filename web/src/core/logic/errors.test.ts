import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, apiErrorOf, request } from '../http'
import { errorText, isNetworkError } from './errors'
import { tOf } from './testing'

const zh = tOf('zh-CN')
const en = tOf('en')
const api = (status: number, code: string, message = 'english words', details?: unknown, incident: string | null = null) =>
  new ApiError(status, code, message, null, details, incident)

afterEach(() => vi.unstubAllGlobals())

describe('errorText', () => {
  it('words a wrong password with the attempts left, never the English message', () => {
    const e = api(401, 'invalid_credentials', 'wrong username or password; 4 attempts left before the account is locked', { attempts_left: 4 })
    expect(errorText(e, zh, 'zh-CN')).toBe('用户名或密码错误，还可尝试 4 次')
    expect(errorText(e, en, 'en')).toBe('Wrong username or password; 4 attempts left')
    expect(errorText(api(401, 'invalid_credentials', 'x', { attempts_left: 1 }), en, 'en')).toBe('Wrong username or password; 1 attempt left')
    expect(errorText(api(401, 'invalid_credentials', 'x', { attempts_left: 1 }), zh, 'zh-CN')).toBe('用户名或密码错误，还可尝试 1 次')
  })
  it('words the wrong password that locks the account, and one without details', () => {
    const e = api(401, 'invalid_credentials', 'wrong username or password; the account is now locked for 15 minutes', { attempts_left: 0, locked_minutes: 15 })
    expect(errorText(e, zh, 'zh-CN')).toBe('用户名或密码错误，账号已锁定 15 分钟')
    expect(errorText(e, en, 'en')).toBe('Wrong username or password; the account is now locked for 15 minutes')
    expect(errorText(api(401, 'invalid_credentials', 'wrong username or password'), zh)).toBe('用户名或密码错误')
  })
  it('words a locked account with the minutes to wait', () => {
    const e = api(423, 'account_locked', 'too many failed sign-ins; try again in 12 minutes (at 2026-11-23T10:00:00Z)', { retry_minutes: 12 })
    expect(errorText(e, zh, 'zh-CN')).toBe('登录失败次数过多，账号已锁定，请 12 分钟后再试')
    expect(errorText(e, en, 'en')).toBe('Too many failed sign-ins; the account is locked, try again in 12 minutes')
    expect(errorText(api(423, 'account_locked', 'x', { retry_minutes: 1 }), en, 'en')).toBe('Too many failed sign-ins; the account is locked, try again in 1 minute')
    expect(errorText(api(423, 'account_locked', 'x'), zh)).toBe('登录失败次数过多，账号已锁定，请稍后再试')
  })
  it('words each code that needs no figure', () => {
    const cases: [string, string, string][] = [
      ['forbidden', '无权执行此操作', 'You may not do this'],
      ['not_found', '未找到该记录，或您无权查看', 'Not found, or not visible to you'],
      ['illegal_transition', '工单当前状态不允许此操作', 'Not possible in the current state of the case'],
      ['conflict', '数据已被他人修改，请刷新后重试', 'Someone else changed this meanwhile; refresh and retry'],
      ['rate_limited', '操作过于频繁，请稍后再试', 'Too many requests; try again later'],
      ['unavailable', '服务暂不可用，请稍后再试', 'The service is unavailable; try again later'],
      ['payload_too_large', '内容过大', 'Too large'],
      ['unauthenticated', '请先登录', 'Please sign in'],
      ['bad_receipt', '回执码与该工单不符', 'The receipt does not belong to this case'],
      ['malformed_json', '请求格式错误', 'Malformed request'],
      ['unknown_action', '未知操作', 'Unknown action'],
      ['aborted', '已取消', 'Cancelled'],
    ]
    for (const [code, z, n] of cases) {
      expect(errorText(api(400, code), zh, 'zh-CN'), code).toBe(z)
      expect(errorText(api(400, code), en, 'en'), code).toBe(n)
    }
  })
  it('quotes the incident of a server error, from the body or from the message', () => {
    expect(errorText(api(500, 'internal', '内部错误 internal error; incident 0a1b2c3d4e5f', undefined, '0a1b2c3d4e5f'), zh)).toBe('服务器出错，请稍后再试（编号 0a1b2c3d4e5f）')
    expect(errorText(api(500, 'internal', '内部错误 internal error; incident 0a1b2c3d4e5f'), en, 'en')).toBe('Server error; try again later (incident 0a1b2c3d4e5f)')
    expect(errorText(api(500, 'internal', '<html>oops</html>'), zh)).toBe('服务器出错，请稍后再试')
    // A proxy's error page in front of a server that is away.
    expect(errorText(api(502, 'internal', '<html>Bad Gateway</html>'), zh)).toBe('服务暂不可用，请稍后再试')
  })
  it("keeps the server's words on what is wrong with a field or a file, after a sentence of the reader's", () => {
    expect(errorText(api(422, 'invalid_field', 'limit: 1 to 20'), zh)).toBe('输入有误：limit: 1 to 20')
    expect(errorText(api(422, 'invalid_field', 'limit: 1 to 20'), en, 'en')).toBe('Invalid input: limit: 1 to 20')
    expect(errorText(api(422, 'invalid_field', ''), zh)).toBe('输入有误')
    expect(errorText(api(422, 'invalid_file', 'line 3: unknown kind'), zh)).toBe('文件内容有误：line 3: unknown kind')
    expect(errorText(api(409, 'duplicate', 'username `zhao6` already exists'), zh)).toBe('已存在：zhao6')
    expect(errorText(api(409, 'duplicate', 'already there'), en, 'en')).toBe('This already exists')
  })
  it('says the server cannot be reached when the fetch fails or the device is offline', () => {
    const failed = new TypeError('Failed to fetch')
    expect(isNetworkError(failed)).toBe(true)
    expect(errorText(failed, zh, 'zh-CN')).toBe('无法连接服务器，请检查网络')
    expect(errorText(failed, en, 'en')).toBe('Cannot reach the server; check the connection')
    expect(errorText(new TypeError('NetworkError when attempting to fetch resource.'), zh)).toBe('无法连接服务器，请检查网络')
    expect(errorText(new TypeError('Load failed'), zh)).toBe('无法连接服务器，请检查网络')
    expect(errorText(new ApiError(0, 'network', 'TypeError: Failed to fetch'), zh)).toBe('无法连接服务器，请检查网络')
    vi.stubGlobal('navigator', { onLine: false })
    expect(errorText(new TypeError('something odd'), zh)).toBe('无法连接服务器，请检查网络')
  })
  it('words what request() throws when nothing answers', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')))
    const e = await request('GET', '/me').catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect(errorText(e, zh)).toBe('无法连接服务器，请检查网络')
  })
  it("carries the incident of the API's body through request() and apiErrorOf()", async () => {
    const body = { error: { code: 'internal', message: '内部错误 internal error; incident abc123def456', field: null, incident: 'abc123def456' } }
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(JSON.stringify(body), { status: 500 })))
    const e = await request('GET', '/me').catch((x: unknown) => x)
    expect((e as ApiError).incident).toBe('abc123def456')
    expect(apiErrorOf(500, 'Internal Server Error', JSON.stringify(body)).incident).toBe('abc123def456')
    expect(errorText(e, zh)).toBe('服务器出错，请稍后再试（编号 abc123def456）')
  })
  it("falls back to the server's message for a code it does not know, and to the error's own", () => {
    expect(errorText(api(418, 'teapot', 'I am a teapot'), zh)).toBe('I am a teapot')
    expect(errorText(api(418, 'teapot', ''), zh)).toBe('teapot')
    expect(errorText(new Error('boom'), zh)).toBe('boom')
    expect(errorText('plain words', zh)).toBe('plain words')
    expect(errorText(undefined, zh)).toBe('服务器出错，请稍后再试')
    // Shaped like an API error without being one (a test double): worded by its code all the same.
    expect(errorText({ code: 'forbidden', message: 'nope' }, zh)).toBe('无权执行此操作')
  })
})

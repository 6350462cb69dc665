import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/core/i18n'
import LoginView from './LoginView.vue'

/** The API's answer to the next sign-in. */
let answer: { status: number; body: unknown }
let sent: { url: string; body: unknown }[]

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  sent = []
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    sent.push({ url, body: init?.body ? JSON.parse(String(init.body)) : null })
    return Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status }))
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  i18n.global.locale.value = 'zh-CN'
  document.body.innerHTML = ''
})

async function signIn(password = 'wrong') {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/login', component: LoginView }, { path: '/:any(.*)', component: { template: '<div />' } }] })
  await router.push('/login')
  await router.isReady()
  const w = mount(LoginView, { global: { plugins: [i18n, ElementPlus, router] }, attachTo: document.body })
  await w.get('input[data-testid=login-username]').setValue('mediator')
  await w.get('input[data-testid=login-password]').setValue(password)
  await w.get('[data-testid=login-submit]').trigger('click')
  await flushPromises()
  await vi.waitFor(() => expect(w.find('[data-testid=login-error]').exists()).toBe(true))
  return w
}

describe('LoginView', () => {
  it('shows a wrong password in Chinese with the attempts left, not the API message', async () => {
    answer = {
      status: 401,
      body: { error: { code: 'invalid_credentials', message: 'wrong username or password; 4 attempts left before the account is locked', field: 'password', details: { attempts_left: 4 } } },
    }
    const w = await signIn()
    expect(sent).toEqual([{ url: '/api/v1/session', body: { username: 'mediator', password: 'wrong' } }])
    const err = w.get('[data-testid=login-error]')
    expect(err.attributes('data-code')).toBe('invalid_credentials')
    expect(err.text()).toContain('用户名或密码错误，还可尝试 4 次')
    expect(err.text()).not.toContain('attempts left')
    w.unmount()
  })
  it('shows the lockout in Chinese with the minutes to wait', async () => {
    answer = {
      status: 423,
      body: { error: { code: 'account_locked', message: 'too many failed sign-ins; try again in 15 minutes (at 2026-11-23T10:15:00Z)', field: 'username', details: { retry_minutes: 15 } } },
    }
    const w = await signIn()
    const err = w.get('[data-testid=login-error]')
    expect(err.attributes('data-code')).toBe('account_locked')
    expect(err.text()).toContain('登录失败次数过多，账号已锁定，请 15 分钟后再试')
    expect(err.text()).not.toMatch(/[a-z]{3}/)
    w.unmount()
  })
  it('speaks English when English is chosen', async () => {
    i18n.global.locale.value = 'en'
    answer = { status: 401, body: { error: { code: 'invalid_credentials', message: 'wrong username or password; 1 attempts left before the account is locked', field: 'password', details: { attempts_left: 1 } } } }
    const w = await signIn()
    expect(w.get('[data-testid=login-error]').text()).toContain('Wrong username or password; 1 attempt left')
    w.unmount()
  })
  it('says the server cannot be reached, not "TypeError: Failed to fetch"', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')))
    const w = await signIn()
    const text = w.get('[data-testid=login-error]').text()
    expect(text).toContain('无法连接服务器，请检查网络')
    expect(text).not.toContain('TypeError')
    w.unmount()
  })
})

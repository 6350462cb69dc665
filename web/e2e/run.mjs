// End-to-end browser tests: headless Debian Chromium driven by playwright-core against a
// running `civicgrid demo` (CIVICGRID_URL, e.g. http://127.0.0.1:18080). scripts/test-web.sh
// starts the server and runs this. Screenshots go to web/e2e/screenshots/ (gitignored).
//
// Prints one line per test and a closing "N passed, N failed" line; exits 1 on any failure.

import { chromium } from 'playwright-core'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BASE = process.env.CIVICGRID_URL ?? 'http://127.0.0.1:18080'
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots')
const PASSWORD = 'civicgrid'
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
const DESKTOP = { viewport: { width: 1440, height: 900 } }

mkdirSync(SHOTS, { recursive: true })
for (const f of readdirSync(SHOTS)) if (f.startsWith('failure-')) rmSync(join(SHOTS, f))
const profile = mkdtempSync(join(tmpdir(), 'civicgrid-e2e-'))
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-unsafe-swiftshader',
  ],
  // launch() starts Chromium on a fresh temporary --user-data-dir of its own (it refuses the
  // flag in args); keep its temporary files in a folder we remove afterwards.
  tracesDir: profile,
})

const externalRequests = []

async function newPage(kind = DESKTOP, lang = 'zh-CN') {
  const ctx = await browser.newContext({ ...kind, timezoneId: 'Asia/Shanghai', locale: lang })
  await ctx.addInitScript((l) => localStorage.getItem('cg.lang') || localStorage.setItem('cg.lang', l), lang)
  // Nothing may be loaded from outside the server.
  await ctx.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith(BASE) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue()
    externalRequests.push(url)
    return route.abort()
  })
  const page = await ctx.newPage()
  page.setDefaultTimeout(15000)
  page.on('pageerror', (e) => console.log(`  [pageerror] ${e.message}`))
  return page
}

async function shot(page, name) {
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
}

/** Fills an Element Plus input found by its data-testid (the attribute sits on the <input>/<textarea>). */
async function fill(page, testid, value) {
  const el = page.getByTestId(testid)
  const tag = await el.evaluate((n) => n.tagName)
  if (tag === 'INPUT' || tag === 'TEXTAREA') await el.fill(value)
  else await el.locator('input, textarea').first().fill(value)
}

async function login(page, username) {
  await page.goto(BASE + '/login')
  await fill(page, 'login-username', username)
  await fill(page, 'login-password', PASSWORD)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

/** Picks the options of an el-cascader by their visible labels, level by level. */
async function cascade(page, testid, labels) {
  await page.getByTestId(testid).click()
  const panel = page.locator('.el-cascader__dropdown:visible .el-cascader-panel')
  await panel.waitFor()
  for (const [i, label] of labels.entries()) {
    const last = i === labels.length - 1
    const node = panel.locator('.el-cascader-menu').nth(i).locator('.el-cascader-node', { hasText: label }).first()
    // checkStrictly cascaders (any level may be chosen) select through the node's radio.
    await node.waitFor() // lazy levels load their nodes after the click on the level above
    const radio = node.locator('.el-radio')
    if (last && (await radio.count())) await radio.click()
    else await node.click()
  }
  await page.keyboard.press('Escape')
  // Wait until the dropdown has gone (its closing transition included) before the next one opens.
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.el-cascader__dropdown')].every((e) => getComputedStyle(e).display === 'none'),
  )
}

/** Opens a case in the workbench and runs one action through its dialog. */
async function act(page, id, action, fillDialog) {
  await page.goto(`${BASE}/workbench?case=${id}`)
  const detail = page.getByTestId('case-detail')
  await detail.locator(`[data-testid="action-${action}"]`).waitFor()
  await detail.getByTestId(`action-${action}`).click()
  const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('action-submit') }).last()
  await dialog.waitFor()
  if (fillDialog) await fillDialog(dialog)
  await dialog.getByTestId('action-submit').click()
  await dialog.waitFor({ state: 'hidden' })
}

async function caseState(page, id) {
  return page.evaluate(async (id) => (await (await fetch(`/api/v1/cases/${id}`)).json()).state, id)
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg)
}

const tests = []
const test = (name, fn) => tests.push({ name, fn })

// ---------------------------------------------------------------------------------------------

const shared = {}

test('login shows the API error and the lockout', async () => {
  const page = await newPage()
  await page.goto(BASE + '/login')
  await shot(page, 'login-desktop')
  // A throwaway account is not available; use an unknown name (never locks) and then the
  // mediator account for the lockout (it has no part in the other tests).
  await fill(page, 'login-username', 'mediator')
  await fill(page, 'login-password', 'wrong')
  await page.getByTestId('login-submit').click()
  const err = page.getByTestId('login-error')
  await err.waitFor()
  expect((await err.getAttribute('data-code')) === 'invalid_credentials', 'invalid_credentials expected')
  expect((await err.innerText()).includes('用户名或密码错误'), 'Chinese error text expected')
  expect((await err.innerText()).includes('attempts left'), "the API's message expected")
  for (let i = 0; i < 8 && (await err.getAttribute('data-code')) !== 'account_locked'; i++) {
    await page.getByTestId('login-submit').click()
    await page.waitForTimeout(600)
  }
  expect((await err.getAttribute('data-code')) === 'account_locked', 'account_locked expected')
  expect((await err.innerText()).includes('锁定'), 'lockout text expected')
  await shot(page, 'login-locked-desktop')
  await page.context().close()
})

test('resident reports on a phone and gets a tracking code', async () => {
  const page = await newPage(PHONE)
  await page.goto(BASE + '/resident')
  await page.getByTestId('report-description').waitFor()
  await cascade(page, 'report-category', ['市容环境', '暴露垃圾'])
  await fill(page, 'report-description', 'e2e：小区门口垃圾桶满溢，请尽快清运')
  await cascade(page, 'report-area', ['环翠区', '环翠楼街道'])
  await fill(page, 'report-phone', '13800138000')
  await shot(page, 'resident-report-phone')
  await page.getByTestId('report-submit').click()
  await page.getByTestId('report-receipt').waitFor()
  shared.code = (await page.getByTestId('receipt-code').innerText()).trim()
  shared.receipt = (await page.getByTestId('receipt-receipt').innerText()).trim()
  expect(/^\d{14,}$/.test(shared.code), `tracking code: ${shared.code}`)
  expect(shared.receipt.length > 10, 'receipt shown')
  await shot(page, 'resident-receipt-phone')
  await page.getByTestId('follow-it').click()
  await page.getByTestId('tracked').waitFor()
  expect((await page.getByTestId('tracked').getAttribute('data-state')) === 'reported', 'tracked as reported')
  await shot(page, 'resident-track-phone')
  shared.residentPage = page
})

test('dispatcher accepts and dispatches from the workbench', async () => {
  const page = await newPage()
  await login(page, 'dispatcher')
  await page.getByTestId('queue').waitFor()
  await page.getByTestId('counts').waitFor()
  const row = page.getByTestId(`row-${shared.code}`)
  await row.waitFor()
  await row.click()
  await page.waitForURL(/case=/)
  shared.id = new URL(page.url()).searchParams.get('case')
  const actions = page.getByTestId('case-actions')
  await actions.getByTestId('action-accept').waitFor()
  const shown = await actions.locator('button').allInnerTexts()
  const api = await page.evaluate(async (id) => (await (await fetch(`/api/v1/cases/${id}`)).json()).allowed_actions, shared.id)
  expect(shown.length === api.length, `buttons ${shown} vs allowed_actions ${api}`)
  await page.waitForTimeout(800)
  await shot(page, 'workbench-desktop')
  await act(page, shared.id, 'accept')
  expect((await caseState(page, shared.id)) === 'accepted', 'accepted')
  await act(page, shared.id, 'dispatch', async (dialog) => {
    await dialog.getByTestId('field-department').click()
    await page.locator('[data-testid=dept-wh-urban]:visible').click()
    await fill(page, 'field-instructions', '请今日处理')
  })
  expect((await caseState(page, shared.id)) === 'dispatched', 'dispatched')
  await page.goto(`${BASE}/workbench?case=${shared.id}`)
  await page.getByTestId('timeline').locator('[data-event="dispatched"]').waitFor()
  await shot(page, 'workbench-dispatched-desktop')
  shared.dispatcherPage = page
})

test('handler claims and handles', async () => {
  const page = await newPage()
  await login(page, 'handler')
  await act(page, shared.id, 'claim')
  expect((await caseState(page, shared.id)) === 'in_progress', 'in_progress')
  await act(page, shared.id, 'handle', async () => {
    await fill(page, 'field-feedback', '已清运完毕')
  })
  expect((await caseState(page, shared.id)) === 'handled', 'handled')
  await page.context().close()
})

test('dispatcher verifies and closes', async () => {
  const page = shared.dispatcherPage
  await act(page, shared.id, 'verify')
  expect((await caseState(page, shared.id)) === 'closed', 'closed')
  await page.goto(`${BASE}/workbench?case=${shared.id}`)
  await page.getByTestId('timeline').locator('[data-event="verified"]').waitFor()
  await shot(page, 'workbench-closed-desktop')
})

test('resident rates by tracking code', async () => {
  const page = shared.residentPage
  await page.goto(`${BASE}/resident?tab=track&code=${shared.code}`)
  await page.getByTestId('rate-form').waitFor()
  // The receipt was kept on this phone; check it is filled in.
  const receipt = await page.getByTestId('rate-receipt').inputValue()
  expect(receipt === shared.receipt, 'receipt prefilled')
  await page.getByTestId('rate-satisfied').click()
  await fill(page, 'rate-comment', '很快，谢谢')
  await page.getByTestId('rate-submit').click()
  await page.getByTestId('rate-done').waitFor()
  expect((await page.getByTestId('tracked').getAttribute('data-state')) === 'rated', 'rated')
  await shot(page, 'resident-rated-phone')
  await page.context().close()
})

test("community account cannot open another community's case", async () => {
  const page = await newPage()
  await login(page, 'community')
  const me = await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()))
  // Find, as the city dispatcher (outside the browser), a case outside the community.
  const r = await fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher', password: PASSWORD }) })
  const tok = (await r.json()).token
  const list = await (await fetch(`${BASE}/api/v1/cases?limit=200`, { headers: { authorization: `Bearer ${tok}` } })).json()
  const foreign = list.items.find((c) => !c.area_code.startsWith(me.scope))
  expect(foreign, 'a case outside the community exists')
  await page.goto(`${BASE}/workbench?case=${foreign.id}`)
  const err = page.getByTestId('case-error')
  await err.waitFor()
  expect((await err.innerText()).includes('未找到'), 'not found message')
  expect((await page.getByTestId('case-actions').count()) === 0, 'no actions shown')
  await shot(page, 'workbench-forbidden-desktop')
  await page.context().close()
})

test('language switch works', async () => {
  const page = await newPage()
  await login(page, 'dispatcher')
  await page.getByTestId('queue').waitFor()
  expect((await page.locator('.app-header').innerText()).includes('工单工作台'), 'Chinese by default')
  await page.getByTestId('lang-switch').click()
  await page.locator('[data-testid=lang-en]:visible').click()
  await page.waitForFunction(() => document.querySelector('.app-header')?.textContent?.includes('Workbench'))
  expect((await page.locator('html').getAttribute('lang')) === 'en', 'html lang en')
  await page.reload()
  await page.waitForFunction(() => document.querySelector('.app-header')?.textContent?.includes('Workbench'))
  await shot(page, 'workbench-en-desktop')
  await page.getByTestId('lang-switch').click()
  await page.locator('[data-testid=lang-zh-CN]:visible').click()
  await page.waitForFunction(() => document.querySelector('.app-header')?.textContent?.includes('工单工作台'))
  await page.context().close()
})

test('grid worker view lists open cases and reports', async () => {
  const page = await newPage(PHONE)
  await login(page, 'worker')
  await page.waitForURL('**/worker')
  await page.getByTestId('worker-cases').waitFor()
  await page.waitForTimeout(800)
  await shot(page, 'worker-phone')
  await page.getByRole('tab', { name: '快速上报' }).click()
  await cascade(page, 'worker-category', ['宣传广告', '非法小广告'])
  await fill(page, 'worker-description', 'e2e：电线杆上有小广告')
  await page.getByTestId('worker-submit').click()
  await page.locator('.el-drawer [data-testid="case-detail"]').waitFor()
  const drawer = page.locator('.el-drawer')
  await drawer.getByTestId('action-close_on_spot').waitFor()
  await shot(page, 'worker-case-phone')
  await drawer.getByTestId('action-close_on_spot').click()
  const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('action-submit') }).last()
  await fill(page, 'field-evidence', '已清除')
  await dialog.getByTestId('action-submit').click()
  await dialog.waitFor({ state: 'hidden' })
  await drawer.locator('[data-testid="case-detail"][data-state="closed"]').waitFor()
  await page.context().close()
})

test('command centre and map screens render with data', async () => {
  const page = await newPage()
  await login(page, 'leader')
  await page.waitForURL('**/screen')
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=kpi-month] .kpi-v')?.textContent ?? 0) > 0, null, { timeout: 30000 })
  await page.waitForTimeout(1500)
  await shot(page, 'screen-desktop')
  await page.goto(BASE + '/map')
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=case-map]')?.getAttribute('data-points') ?? 0) > 0)
  await page.waitForTimeout(1500)
  await shot(page, 'map-desktop')
  await page.goto(BASE + '/admin')
  await page.getByTestId('admin-categories').waitFor()
  await shot(page, 'admin-desktop')
  await page.context().close()

  const phone = await newPage(PHONE)
  await login(phone, 'dispatcher')
  await phone.getByTestId('queue').waitFor()
  await phone.waitForTimeout(800)
  await shot(phone, 'workbench-phone')
  await phone.goto(BASE + '/screen')
  await phone.waitForFunction(() => Number(document.querySelector('[data-testid=kpi-month] .kpi-v')?.textContent ?? 0) > 0, null, { timeout: 30000 })
  await phone.waitForTimeout(1000)
  await shot(phone, 'screen-phone')
  await phone.context().close()
})

test('no request left the server', async () => {
  expect(externalRequests.length === 0, `external requests: ${externalRequests.join(', ')}`)
})

// ---------------------------------------------------------------------------------------------

let passed = 0
let failed = 0
for (const t of tests) {
  const started = Date.now()
  try {
    await Promise.race([t.fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after 90 s')), 90000))])
    passed++
    console.log(`ok   ${t.name} (${Date.now() - started} ms)`)
  } catch (e) {
    failed++
    console.log(`FAIL ${t.name}: ${e.message.split('\n')[0]}`)
    for (const p of browser.contexts().flatMap((c) => c.pages())) {
      await p.screenshot({ path: join(SHOTS, `failure-${failed}.png`) }).catch(() => {})
    }
  }
}
await browser.close()
rmSync(profile, { recursive: true, force: true })
console.log(`e2e: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)

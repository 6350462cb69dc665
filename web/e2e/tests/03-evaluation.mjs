// Evaluation, the command centre's rates, the working calendar (these skip on a server without them).

import {
  BASE, PHONE, act, chinaToday, expect, fill, fmtRate, login, needs, newPage, shot, test,
} from '../kit.mjs'


test('leader ranks departments and towns, drills into the late cases, exports Excel', async () => {
  const page = await newPage()
  await login(page, 'leader')
  await needs(page, `/api/v1/evaluation?from=${chinaToday().slice(0, 8)}01&to=${chinaToday()}&by=department`)
  // From the leader's command centre; then the staff navigation has it too.
  await page.waitForURL('**/screen')
  await page.getByTestId('screen-evaluation').click()
  await page.waitForURL(/\/evaluation\?/)
  expect((await page.getByTestId('nav-evaluation').getAttribute('class')).includes('active'), 'in the navigation')
  const url = new URL(page.url())
  expect(url.searchParams.get('from') === chinaToday().slice(0, 8) + '01' && url.searchParams.get('to') === chinaToday(), `this month by default: ${url.search}`)
  expect(url.searchParams.get('by') === 'department', 'by department by default')
  const q = `from=${url.searchParams.get('from')}&to=${url.searchParams.get('to')}`
  const api = await page.evaluate(async (q) => (await fetch(`/api/v1/evaluation?${q}&by=department`)).json(), q)
  await page.locator('[data-testid=eval-table], [data-testid=eval-empty]').first().waitFor()
  expect((await page.locator('[data-testid^="eval-row-"]').count()) === api.rows.length, `rows vs ${api.rows.length}`)
  for (const m of ['response', 'on_time', 'resolution', 'satisfaction', 'reopen', 'return']) {
    expect((await page.getByTestId(`eval-total-${m}`).innerText()).includes(fmtRate(api.total.rates[m])), `total ${m}`)
  }
  await shot(page, 'evaluation-desktop')
  const ranked = api.rows.find((r) => r.rank === 1) ?? api.rows[0]
  if (ranked) {
    expect((await page.getByTestId(`eval-rate-${ranked.unit.id}-on_time`).innerText()) === fmtRate(ranked.rates.on_time), 'on-time rate of the first')
    // The late ones behind 按期办结率 (the dialog's count is the API's).
    await page.getByTestId(`eval-rate-${ranked.unit.id}-on_time`).click()
    const drill = page.getByTestId('eval-drill')
    await page.getByTestId('eval-drill-count').waitFor()
    const cases = await page.evaluate(async ({ q, unit }) => (await fetch(`/api/v1/evaluation/cases?${q}&by=department&unit=${encodeURIComponent(unit)}&metric=on_time&outcome=miss`)).json(), { q, unit: ranked.unit.id })
    await page.waitForFunction((n) => document.querySelector('[data-testid=eval-drill-count]')?.getAttribute('data-count') === String(n), cases.count)
    if (cases.items[0]) {
      const link = page.getByTestId(`eval-case-${cases.items[0].code}`)
      expect((await link.getAttribute('href')) === `/workbench?case=${cases.items[0].id}`, 'a link to the case')
    }
    await shot(page, 'evaluation-drill-desktop')
    await page.keyboard.press('Escape')
    await drill.waitFor({ state: 'hidden' })
  }
  // The export is an Excel file.
  const href = await page.getByTestId('eval-export').getAttribute('href')
  expect(href.startsWith('/api/v1/evaluation/export.xlsx?'), `export link ${href}`)
  const file = await page.evaluate(async (h) => {
    const r = await fetch(h)
    const b = new Uint8Array(await r.arrayBuffer())
    return { status: r.status, type: r.headers.get('content-type'), magic: String.fromCharCode(b[0], b[1]) }
  }, href)
  expect(file.status === 200 && file.magic === 'PK' && /spreadsheetml|octet-stream/.test(file.type ?? ''), `export: ${JSON.stringify(file)}`)
  // Towns, last month.
  await page.getByTestId('eval-by-town').click()
  await page.getByTestId('eval-quick-lastMonth').click()
  await page.waitForURL((u) => u.searchParams.get('by') === 'town' && u.searchParams.get('to') < chinaToday().slice(0, 8) + '01')
  const u2 = new URL(page.url())
  const towns = await page.evaluate(async (s) => (await fetch(`/api/v1/evaluation${s}`)).json(), u2.search)
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="eval-row-"]').length === n || (n === 0 && document.querySelector('[data-testid=eval-empty]')), towns.rows.length)
  await shot(page, 'evaluation-towns-desktop')
  await page.context().close()

  const phone = await newPage(PHONE)
  await login(phone, 'leader')
  await phone.goto(BASE + '/evaluation')
  await phone.locator('[data-testid=eval-table], [data-testid=eval-empty]').first().waitFor()
  await shot(phone, 'evaluation-phone')
  await phone.context().close()
})

test('dispatcher reviews a return: refused, the case goes back to the department with its deadline', async () => {
  const page = await newPage()
  await login(page, 'dispatcher')
  await needs(page, '/api/v1/evaluation/method')
  // The demo city leaves some returns waiting for the centre's review (退单审核).
  const waiting = await page.evaluate(async () => (await (await fetch('/api/v1/cases?state=returned&limit=50')).json()).items)
  const id = waiting.map((c) => c.id)[0]
  expect(id, 'a returned case waiting for review in the demo city')
  const before = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), id)
  expect(before.allowed_actions.includes('review_return') && !before.allowed_actions.includes('dispatch'), `review first: ${before.allowed_actions}`)
  // 快捷视图: 退回待审 counts what the API counts (and the menu's badge all that waits), and lists the return.
  await page.goto(`${BASE}/workbench`)
  const awaiting = await page.evaluate(async () => (await fetch('/api/v1/cases/counts/awaiting')).json())
  expect(awaiting.review >= 1, `the API counts the returns to review: ${JSON.stringify(awaiting)}`)
  const reviewView = page.getByTestId('view-review')
  await reviewView.waitFor()
  const shows = (testid, n) =>
    page.waitForFunction(({ testid, n }) => document.querySelector(`[data-testid=${testid}]`)?.getAttribute('data-count') === String(n), { testid, n }, { timeout: 30000 }).catch(() => {})
  await shows('view-review', awaiting.review)
  expect((await reviewView.getAttribute('data-count')) === String(awaiting.review), `view-review counts ${await reviewView.getAttribute('data-count')}, the API ${awaiting.review}`)
  await shows('nav-workbench-badge', awaiting.total)
  const badge = await page.evaluate(() => document.querySelector('[data-testid=nav-workbench-badge]')?.getAttribute('data-count') ?? null)
  expect(badge === String(awaiting.total), `the menu's badge counts ${badge}, the API ${awaiting.total}`)
  await reviewView.click()
  await page.waitForURL((u) => u.searchParams.get('awaiting') === 'review')
  await page.getByTestId(`row-${before.code}`).waitFor()
  expect((await reviewView.getAttribute('data-active')) === 'true', 'the view is chosen')
  await page.goto(`${BASE}/workbench?case=${id}`)
  await page.getByTestId('case-returned-by').waitFor()
  expect((await page.getByTestId('case-returned-by').getAttribute('data-returned-by')) === before.returned_by.id, 'who sent it back')
  await shot(page, 'workbench-return-review-desktop')
  await act(page, id, 'review_return', async (dialog) => {
    // Who sent it back, above the choice; nothing is chosen: 不同意退回 is clicked.
    await dialog.getByTestId('decision-context').getByTestId('context-returned-by').filter({ hasText: before.returned_by.name }).waitFor()
    await dialog.getByTestId('field-accepted-no').click()
    await fill(page, 'field-comment', '属于本部门职责，请继续办理')
  })
  const after = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), id)
  expect(['dispatched', 'in_progress'].includes(after.state) && after.assignee?.id === before.returned_by.id, `back with the department: ${after.state}`)
  await page.getByTestId('timeline').locator('[data-event="return_reviewed"]').waitFor()
  await page.context().close()
})

test('a department handler reads 考核办法 and prints it to a PDF', async () => {
  const page = await newPage()
  await login(page, 'handler')
  await needs(page, '/api/v1/evaluation/method')
  await page.goto(BASE + '/evaluation/method')
  await page.getByTestId('eval-method-page').waitFor()
  const api = await page.evaluate(async () => (await fetch('/api/v1/evaluation/method')).json())
  await page.getByTestId('eval-method-page-rules').waitFor()
  expect((await page.getByTestId('eval-method-page-rules').locator('li').count()) === api.rules.length, 'every rule')
  const text = await page.getByTestId('eval-method-page').innerText()
  for (const r of api.rates) expect(text.includes(r.name), `rate ${r.name}`)
  expect(text.includes(api.version), 'the version the figures carry')
  await shot(page, 'evaluation-method-desktop')
  // Printed, the page is the document alone: no header, no button.
  await page.emulateMedia({ media: 'print' })
  expect(!(await page.getByTestId('eval-method-print').isVisible()), 'no print button on paper')
  const pdf = await page.pdf({ format: 'A4', printBackground: true })
  expect(pdf.subarray(0, 4).toString() === '%PDF' && pdf.length > 20000, `a PDF of ${pdf.length} bytes`)
  await page.context().close()
})

test("command centre shows this month's rates and the red and yellow cards", async () => {
  const page = await newPage()
  await login(page, 'leader')
  const period = `from=${chinaToday().slice(0, 8)}01&to=${chinaToday()}`
  await needs(page, '/api/v1/cases/counts/cards')
  await needs(page, `/api/v1/evaluation?${period}&by=town`)
  await page.waitForURL('**/screen')
  const [ev, cards] = await page.evaluate(async (p) => [await (await fetch(`/api/v1/evaluation?${p}&by=town`)).json(), await (await fetch('/api/v1/cases/counts/cards')).json()], period)
  await page.getByTestId('screen-quality').waitFor({ timeout: 60000 })
  for (const m of ['response', 'on_time', 'resolution', 'satisfaction']) {
    await page.waitForFunction(({ m, v }) => document.querySelector(`[data-testid=screen-rate-${m}] .gauge-v`)?.textContent === v, { m, v: fmtRate(ev.total.rates[m]) })
  }
  expect((await page.locator('[data-testid=screen-card-red] .card-v').innerText()) === String(cards.red), 'red count')
  expect((await page.locator('[data-testid=screen-card-yellow] .card-v').innerText()) === String(cards.yellow), 'yellow count')
  await shot(page, 'screen-rates-desktop')
  // A card figure opens the workbench filtered by it.
  await page.getByTestId('screen-card-red').click()
  await page.waitForURL(/\/workbench\?.*card=red/)
  await page.getByTestId('queue').waitFor()
  await page.context().close()
})

test('admin sees the calendar years, a refused CSV by line and column, loads 2027, checks a deadline', async () => {
  const page = await newPage()
  await login(page, 'admin')
  await needs(page, '/api/v1/admin/calendar')
  await page.getByRole('tab', { name: '工作日历' }).click()
  await page.getByTestId('calendar-years').waitFor()
  await page.getByTestId('calendar-year-2026').waitFor()
  expect((await page.getByTestId('calendar-year-2026').getAttribute('data-source')) === 'shipped', '2026 is built in')
  // A wrong kind on line 3: the error names the line and column and shows that line.
  await page.getByTestId('calendar-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holliday,元旦\n') })
  const err = page.getByTestId('calendar-error')
  await err.waitFor()
  expect((await err.getAttribute('data-line')) === '3', `error line ${await err.getAttribute('data-line')}`)
  expect((await err.innerText()).includes('第 3 行第 2 列'), `error: ${await err.innerText()}`)
  expect((await page.getByTestId('calendar-error-line').innerText()).includes('holliday'), 'the line of the file')
  await shot(page, 'admin-calendar-error-desktop')
  await page.getByTestId('calendar-file').setInputFiles({ name: '2027.csv', mimeType: 'text/csv', buffer: Buffer.from('date,kind,name\n2027-01-01,holiday,元旦\n') })
  await page.getByTestId('calendar-year-2027').waitFor()
  expect((await page.getByTestId('calendar-year-2027').getAttribute('data-source')) === 'loaded', '2027 loaded')
  // The checker: 5 working days from Friday 24 January 2025 10:00 end after the Spring Festival.
  await fill(page, 'checker-start', '2025-01-24 10:00')
  await page.keyboard.press('Enter')
  await page.getByTestId('checker-submit').click()
  const result = page.getByTestId('checker-result')
  await result.waitFor()
  expect(Date.parse(await result.getAttribute('data-deadline')) === Date.parse('2025-02-07T10:00:00+08:00'), `deadline ${await result.getAttribute('data-deadline')}`)
  expect((await page.getByTestId('checker-deadline').innerText()) === '2025年2月7日 10:00', `shown ${await page.getByTestId('checker-deadline').innerText()}`)
  await shot(page, 'admin-calendar-desktop')
  await page.context().close()
})

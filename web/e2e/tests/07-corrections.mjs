// Correcting and redirecting a case at the desk (issue 20): reclassify with the time limit
// counted again, take back a dispatch nobody claimed and send it to another department, and an
// extension request that reaches the dispatcher's view and is decided with the request shown.

import { BASE, DESKTOP, act, caseState, expect, fill, login, newPage, shot, test } from '../kit.mjs'

/** A hotline case of 暴露垃圾 in 环翠楼街道, accepted and dispatched to `department` (by the API:
 *  the earlier journeys walk those screens). Answers its id. */
async function dispatchedCase(page, department, description) {
  return page.evaluate(
    async ({ department, description }) => {
      const post = async (url, body) => {
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`)
        return r.json()
      }
      const c = await post('/api/v1/cases', { category: '0102', description, area: '371002001', channel: 'hotline' })
      await post(`/api/v1/cases/${c.id}/actions/accept`, {})
      await post(`/api/v1/cases/${c.id}/actions/dispatch`, { department })
      return c.id
    },
    { department, description },
  )
}

const caseOf = (page, id) => page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), id)

test('dispatcher reclassifies a case: category and priority changed, the deadline counted again', async () => {
  const page = await newPage(DESKTOP)
  await login(page, 'dispatcher')
  const id = await dispatchedCase(page, 'wh-urban', 'e2e：路边有人焚烧垃圾，烟很大')
  const before = await caseOf(page, id)
  await act(page, id, 'reclassify', async (dialog) => {
    // Picked by its nodes: a leaf closes the list itself (Escape would close the dialog too).
    await dialog.getByTestId('field-category').click()
    const panel = page.locator('.el-cascader__dropdown:visible .el-cascader-panel')
    await panel.locator('.el-cascader-node', { hasText: '市容环境' }).first().click()
    await panel.locator('.el-cascader-menu').nth(1).locator('.el-cascader-node', { hasText: '焚烧垃圾树叶' }).first().click()
    await page.waitForFunction(() => [...document.querySelectorAll('.el-cascader__dropdown')].every((e) => getComputedStyle(e).display === 'none'))
    await dialog.getByTestId('field-priority').click()
    await page.locator('[data-testid=priority-urgent]:visible').click()
    await fill(page, 'field-reason', '有明火，改为紧急')
  })
  const after = await caseOf(page, id)
  expect(after.category.code === '0107' && after.priority === 'urgent', `reclassified: ${after.category.code} ${after.priority}`)
  expect(Date.parse(after.deadline.due) < Date.parse(before.deadline.due), `an urgent limit ends sooner: ${before.deadline.due} → ${after.deadline.due}`)
  // The detail shows the new category and deadline; the timeline says what was changed and why.
  await page.goto(`${BASE}/workbench?case=${id}`)
  const entry = page.getByTestId('timeline').locator('[data-event="reclassified"]')
  await entry.waitFor()
  expect((await entry.innerText()).includes('有明火'), 'the reason in the timeline')
  await page.waitForFunction((due) => document.querySelector('[data-testid=case-deadline]')?.getAttribute('data-due') === due, after.deadline.due).catch(() => {})
  expect((await page.getByTestId('case-deadline').getAttribute('data-due')) === after.deadline.due, 'the detail shows the deadline counted again')
  await shot(page, 'workbench-reclassified-desktop')
  await page.context().close()
})

test('dispatcher recalls a dispatch nobody claimed and sends it to another department', async () => {
  const page = await newPage(DESKTOP)
  await login(page, 'dispatcher')
  const id = await dispatchedCase(page, 'wh-urban', 'e2e：小区楼道堆放杂物（派错部门）')
  await act(page, id, 'recall', async () => fill(page, 'field-reason', '应由街道中队处理'))
  expect((await caseState(page, id)) === 'accepted', 'back to accepted')
  await act(page, id, 'dispatch', async (dialog) => {
    await dialog.getByTestId('field-department').click()
    await page.locator('[data-testid=dept-hcl-squad]:visible').click()
    // 常用语: a shipped instruction, picked rather than typed.
    await dialog.getByTestId('phrases-instructions-open').click()
    await page.locator('[data-testid=phrase-default-instruction-2]:visible').click()
    await page.waitForFunction(() => document.querySelector('[data-testid=field-instructions]')?.value?.includes('尽快到现场核实'))
  })
  const events = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}/events`)).json(), id)
  const sent = events.filter((e) => e.type === 'dispatched').pop()
  expect(JSON.stringify(sent).includes('请尽快到现场核实处置'), `the picked phrase went with the dispatch: ${JSON.stringify(sent)}`)
  const c = await caseOf(page, id)
  expect(c.state === 'dispatched' && c.assignee?.id === 'hcl-squad', `re-dispatched: ${c.state} ${JSON.stringify(c.assignee)}`)
  await page.goto(`${BASE}/workbench?case=${id}`)
  await page.getByTestId('timeline').locator('[data-event="recalled"]').waitFor()
  await page.context().close()
})

test("a handler's extension request reaches 待审延期 and is decided with the request shown", async () => {
  const desk = await newPage(DESKTOP)
  await login(desk, 'dispatcher')
  const id = await dispatchedCase(desk, 'wh-urban', 'e2e：人行道破损需要更换地砖')
  // The department's handler claims it and asks for more time (the handler's screens are
  // walked elsewhere); the date asked is ten days on.
  const handler = await newPage(DESKTOP)
  await login(handler, 'handler')
  const until = new Date(Date.now() + 10 * 86400e3).toISOString().slice(0, 10) + 'T10:00:00Z'
  await handler.evaluate(
    async ({ id, until }) => {
      for (const [action, body] of [['claim', {}], ['request_extension', { until, reason: '需订购地砖，到货约需一周' }]]) {
        const r = await fetch(`/api/v1/cases/${id}/actions/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        if (!r.ok) throw new Error(`${action}: ${r.status} ${await r.text()}`)
      }
    },
    { id, until },
  )
  await handler.context().close()

  // The dispatcher's view 待审延期 counts it and lists it.
  await desk.goto(`${BASE}/workbench`)
  const view = desk.getByTestId('view-extension')
  await view.waitFor()
  const awaiting = await desk.evaluate(async () => (await fetch('/api/v1/cases/counts/awaiting')).json())
  await desk.waitForFunction((n) => document.querySelector('[data-testid=view-extension]')?.getAttribute('data-count') === String(n), awaiting.extension).catch(() => {})
  expect((await view.getAttribute('data-count')) === String(awaiting.extension) && awaiting.extension >= 1, `待审延期 counts ${await view.getAttribute('data-count')}, the API ${awaiting.extension}`)
  await view.click()
  await desk.waitForURL((u) => u.searchParams.get('awaiting') === 'extension')
  const c = await caseOf(desk, id)
  await desk.getByTestId(`row-${c.code}`).click()
  await desk.waitForFunction((code) => document.querySelector('[data-testid=case-code]')?.textContent?.trim() === code, c.code)
  // The dialog shows the date and reason asked, and has nothing chosen until the dispatcher chooses.
  await act(desk, id, 'decide_extension', async (dialog) => {
    const ctx = dialog.getByTestId('decision-context')
    await ctx.waitFor()
    expect((await ctx.getByTestId('context-reason').innerText()).includes('需订购地砖'), 'the reason asked')
    // 10:00 UTC is 18:00 in China, the same day.
    const d = new Date(until)
    const day = `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 18:00`
    const asked = await ctx.getByTestId('context-until').innerText()
    expect(asked.includes(day), `the date asked (${day}): ${asked}`)
    const chosen = await dialog.locator('[data-testid=field-granted] .is-active').count()
    expect(chosen === 0, 'nothing chosen before the dispatcher chooses')
    await shot(desk, 'workbench-extension-decision-desktop')
    await dialog.getByTestId('field-granted-yes').click()
  })
  const after = await caseOf(desk, id)
  expect(after.extended_until && Date.parse(after.extended_until) === Date.parse(until), `extended to the date asked: ${after.extended_until}`)
  expect(Date.parse(after.deadline.due) === Date.parse(until), `the running deadline is the date granted: ${after.deadline.due}`)
  await desk.context().close()
})

test('a new urgent case chimes and stands in a red band above the dispatcher\'s queue', async () => {
  const desk = await newPage(DESKTOP)
  await login(desk, 'dispatcher')
  await desk.goto(`${BASE}/workbench`)
  await desk.locator('[data-testid=urgent-watch][data-ready=true], [data-testid=urgent-alert][data-ready=true]').first().waitFor({ state: 'attached' })
  // A resident reports a fire hazard (an urgent category) while the dispatcher's page is open.
  const resident = await newPage(DESKTOP)
  await resident.goto(`${BASE}/resident`)
  const code = await resident.evaluate(async () => {
    const cats = await (await fetch('/api/v1/categories')).json()
    const urgent = cats.find((c) => c.parent && c.priority === 'urgent')
    const r = await fetch('/api/v1/cases', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ category: urgent.code, description: 'e2e：楼道里电动车着火冒烟', area: '371002001001' }) })
    return (await r.json()).code
  })
  await resident.context().close()
  expect(code, 'the urgent report was taken')
  // The next poll (the page coming back into view asks at once) brings it.
  await desk.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
  await desk.getByTestId(`urgent-${code}`).waitFor({ timeout: 60000 })
  expect(Number(await desk.getByTestId('urgent-alert').getAttribute('data-chimed')) >= 1, 'it chimed')
  await shot(desk, 'workbench-urgent-desktop')
  await desk.getByTestId(`urgent-${code}`).click()
  await desk.waitForFunction((code) => document.querySelector('[data-testid=case-code]')?.textContent?.trim() === code, code)
  await desk.context().close()
})

test('a handler returns a case: the detail says it left his queue, not "not found"', async () => {
  const desk = await newPage(DESKTOP)
  await login(desk, 'dispatcher')
  const id = await dispatchedCase(desk, 'wh-urban', 'e2e：此事不属于本部门职责')
  await desk.context().close()
  const page = await newPage(DESKTOP)
  await login(page, 'handler')
  await act(page, id, 'return', async () => fill(page, 'field-reason', '不属于本部门职责，请改派'))
  const gone = page.getByTestId('case-gone')
  await gone.waitFor()
  expect((await gone.innerText()).includes('已离开您的队列'), `the detail: ${await gone.innerText()}`)
  expect((await page.getByTestId('case-error').count()) === 0, 'no error shown')
  await page.context().close()
})

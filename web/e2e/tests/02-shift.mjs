// A shift: time limits and notices, addresses, handling, verifying, rating, access by role, the worker, the maps and the admin.

import {
  BASE, DESKTOP, PASSWORD, PHONE, act, addPhotos, browser, cascade, caseState, expect, fill, gridPixel, login, needs, needsDeadlines, newPage, photosLoaded, pngPhoto, queueRows, shared, shot, test,
} from '../kit.mjs'

// time limits and notices (these skip themselves on a server without them)

test('the dispatched case shows its handling deadline; the card chips filter the queue', async () => {
  const page = shared.dispatcherPage
  expect(page && shared.id, 'the dispatched case of the earlier tests')
  const c = await needsDeadlines(page, shared.id, false)
  expect(c.deadline && c.deadline.step === 'handle', `deadline of the dispatched case: ${JSON.stringify(c.deadline)}`)
  await page.goto(`${BASE}/workbench?case=${shared.id}`)
  const box = page.getByTestId('case-deadline')
  await box.waitFor()
  expect((await box.getAttribute('data-step')) === 'handle', 'the handling step')
  expect((await page.getByTestId('deadline-due').innerText()).startsWith('处置时限：'), `due: ${await page.getByTestId('deadline-due').innerText()}`)
  expect((await page.getByTestId('deadline-left').innerText()).startsWith('剩余'), `left: ${await page.getByTestId('deadline-left').innerText()}`)
  expect((await box.getAttribute('data-card')) === (c.card ?? ''), `card ${await box.getAttribute('data-card')} vs ${c.card}`)
  // The dispatch started the step: its timeline entry says until when.
  const dispatched = page.getByTestId('timeline').locator('[data-event="dispatched"]')
  await dispatched.getByTestId('ev-deadline').waitFor()
  expect((await dispatched.getByTestId('ev-deadline').innerText()).includes('处置时限至'), 'the dispatch names the handling deadline')
  await shot(page, 'workbench-deadline-desktop')
  // The chips count as the API does, and a chip filters the queue to its card.
  const cards = await page.evaluate(async () => (await fetch('/api/v1/cases/counts/cards')).json())
  const red = page.getByTestId('card-chip-red')
  await page.waitForFunction((n) => document.querySelector('[data-testid=card-chip-red]')?.getAttribute('data-count') === String(n), cards.red)
  expect((await page.getByTestId('card-chip-yellow').getAttribute('data-count')) === String(cards.yellow), 'yellow count')
  await red.click()
  await page.waitForURL(/card=red/)
  await queueRows(page, Math.min(cards.red, 50), 'red')
  const rows = await page.locator('[data-testid^="row-"]').count()
  expect(rows === Math.min(cards.red, 50), `red rows ${rows} vs ${cards.red}`)
  const marks = await page.locator('[data-testid=queue] [data-card]').evaluateAll((els) => els.map((e) => e.getAttribute('data-card')))
  expect(marks.length === rows && marks.every((m) => m === 'red'), `marks ${marks}`)
  await shot(page, 'workbench-red-cards-desktop')
  await red.click()
  await page.waitForFunction(() => !location.search.includes('card='))
})

test("handler's bell: the dispatch notice opens the case and is marked read; all read", async () => {
  const page = await newPage()
  await login(page, 'handler')
  await needs(page, '/api/v1/inbox?limit=1')
  const box = await page.evaluate(async () => (await fetch('/api/v1/inbox?limit=50')).json())
  const bell = page.getByTestId('inbox-bell')
  await bell.waitFor()
  await page.waitForFunction((n) => document.querySelector('[data-testid=inbox-bell]')?.getAttribute('data-unread') === String(n), box.unread)
  const notice = box.items.find((n) => n.subject_code === shared.code && n.kind === 'dispatched' && !n.read_at)
  expect(notice, `an unread dispatch notice of ${shared.code}: ${JSON.stringify(box.items.slice(0, 5))}`)
  await bell.click()
  const list = page.getByTestId('inbox-list')
  await list.waitFor()
  expect((await page.getByTestId('inbox-unread').innerText()).includes(String(box.unread)), 'unread count in the list')
  await shot(page, 'inbox-desktop')
  await list.locator(`[data-testid=inbox-item][data-id="${notice.id}"]`).click()
  await page.waitForURL((u) => u.searchParams.get('case') === notice.subject.id)
  await page.getByTestId('case-detail').waitFor()
  await page.waitForFunction((n) => document.querySelector('[data-testid=inbox-bell]')?.getAttribute('data-unread') === String(n), box.unread - 1)
  const after = await page.evaluate(async () => (await fetch('/api/v1/inbox?limit=50')).json())
  expect(after.unread === box.unread - 1, `unread ${after.unread} after opening one of ${box.unread}`)
  expect(after.items.find((n) => n.id === notice.id)?.read_at, 'the notice is read')
  if (after.unread > 0) {
    await bell.click()
    await page.getByTestId('inbox-read-all').click()
    await page.waitForFunction(() => document.querySelector('[data-testid=inbox-bell]')?.getAttribute('data-unread') === '0')
    expect((await page.evaluate(async () => (await fetch('/api/v1/inbox?limit=50')).json())).unread === 0, 'all read')
    await page.keyboard.press('Escape')
  }
  // No badge once all are read (it leaves with a short transition).
  await page.locator('[data-testid=inbox-badge] .el-badge__content').waitFor({ state: 'hidden' })
  await page.context().close()

  // On a phone the notices open as a sheet; the header keeps the bell in view.
  const phone = await newPage(PHONE)
  await login(phone, 'handler')
  await phone.getByTestId('inbox-bell').click()
  await phone.locator('.el-drawer [data-testid=inbox-list]').waitFor()
  await shot(phone, 'inbox-phone')
  await phone.context().close()
})

test('dispatcher confirms where an address-only case is', async () => {
  const page = shared.dispatcherPage
  // A hotline call that names an estate but no building: several standard addresses fit.
  const c = await page.evaluate(async (address) => {
    const r = await fetch('/api/v1/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: '0102', description: 'e2e：热线反映小区垃圾无人清运', address, channel: 'hotline' }),
    })
    return r.json()
  }, shared.ambiguous)
  expect(c.id, `case created: ${JSON.stringify(c).slice(0, 200)}`)
  expect(c.needs_location_confirmation === true, `needs confirmation: ${JSON.stringify(c.located)}`)
  expect(c.allowed_actions.includes('locate'), 'locate offered')
  await page.goto(`${BASE}/workbench?case=${c.id}`)
  await page.getByTestId('needs-location').waitFor()
  await page.getByTestId(`needs-location-${c.code}`).waitFor()
  await page.getByTestId('action-locate').click()
  const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('locate-candidates') }).last()
  await dialog.waitFor()
  // The candidates come with their grid once the matcher answered; take the first one.
  const first = dialog.locator('[data-testid^="candidate-"]:not([disabled])').first()
  await first.waitFor()
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=locate-map]')?.getAttribute('data-grids-rendered') ?? 0) > 0)
  await first.click()
  await dialog.getByTestId('locate-point').waitFor()
  await fill(page, 'field-note', '电话核实，在2号楼')
  await shot(page, 'workbench-locate-desktop')
  await dialog.getByTestId('action-submit').click()
  await dialog.waitFor({ state: 'hidden' })
  const after = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), c.id)
  expect(after.needs_location_confirmation === false, 'confirmed')
  expect(after.located_by === 'person', `located_by ${after.located_by}`)
  expect(/^\d{15}$/.test(after.grid ?? ''), `grid ${after.grid}`)
  await page.getByTestId('timeline').locator('[data-event="located"]').waitFor()
  // No warning once confirmed (the tag leaves with a short transition).
  await page.getByTestId('needs-location').waitFor({ state: 'detached' })
  await page.waitForFunction((g) => document.querySelector('[data-testid=case-grid]')?.getAttribute('data-grid') === g, after.grid)
  await shot(page, 'workbench-located-desktop')
})

test('handler claims and handles', async () => {
  const page = await newPage()
  await login(page, 'handler')
  await act(page, shared.id, 'claim')
  expect((await caseState(page, shared.id)) === 'in_progress', 'in_progress')
  await act(page, shared.id, 'handle', async () => {
    await fill(page, 'field-feedback', shared.feedback)
    await addPhotos(page, 'field-attachments', [await pngPhoto(page, 'after.png', '#2563eb')])
    await shot(page, 'workbench-handle-photo-desktop')
  })
  expect((await caseState(page, shared.id)) === 'handled', 'handled')
  await page.context().close()
})

test('dispatcher verifies and closes', async () => {
  const page = shared.dispatcherPage
  await act(page, shared.id, 'verify', async (dialog) => {
    // What is being verified: the handler's feedback and photo, above the choice.
    const context = dialog.getByTestId('decision-context')
    await context.getByTestId('context-feedback').filter({ hasText: shared.feedback }).waitFor()
    expect((await context.locator('[data-source=handled] [data-testid=case-photo]').count()) === 1, "the handler's photo in the dialog")
    // Nothing is chosen when the dialog opens: 通过 is clicked.
    expect((await dialog.locator('[data-testid=field-passed] .el-radio-button.is-active').count()) === 0, 'no default decision')
    await dialog.getByTestId('field-passed-yes').click()
    await shot(page, 'workbench-verify-desktop')
  })
  expect((await caseState(page, shared.id)) === 'closed', 'closed')
  await page.goto(`${BASE}/workbench?case=${shared.id}`)
  await page.getByTestId('timeline').locator('[data-event="verified"]').waitFor()
  // The report's photo and the handler's, each in its group.
  expect((await photosLoaded(page)) === 2, 'two thumbnails')
  expect((await page.locator('[data-testid=case-photos] [data-source=handled] [data-testid=case-photo]').count()) === 1, "the handler's photo")
  await shot(page, 'workbench-closed-desktop')
})

test('resident rates by tracking code', async () => {
  const page = shared.residentPage
  await page.goto(`${BASE}/resident?tab=track&code=${shared.code}`)
  await page.getByTestId('rate-form').waitFor()
  // The receipt was kept on this phone; check it is filled in.
  const receipt = await page.getByTestId('rate-receipt').inputValue()
  expect(receipt === shared.receipt, 'receipt prefilled')
  // With that receipt the page shows who handled it and what they answered.
  expect((await page.getByTestId('tracked-unit').innerText()).includes('综合行政执法局'), 'the handling department named')
  expect((await page.getByTestId('tracked-feedback').innerText()).includes(shared.feedback), 'the department\'s feedback shown')
  // The handler's photo, fetched with the receipt (a resident without an account reads no photo otherwise).
  await page.waitForFunction(() => {
    const i = document.querySelector('[data-testid=tracked-photo] img')
    return i && i.complete && i.naturalWidth > 0
  })
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

test("a handler is offered the workbench, the map and his department's ranking; 系统管理 and the command-centre screen send it home", async () => {
  const page = await newPage()
  await login(page, 'handler')
  await page.waitForURL('**/workbench')
  await page.getByTestId('nav-workbench').waitFor()
  const menu = await page.locator('.app-header [data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
  expect(menu.join() === 'nav-workbench,nav-map,nav-evaluation', `menu: ${menu}`)
  for (const path of ['/admin', '/screen']) {
    await page.goto(BASE + path)
    await page.waitForURL('**/workbench')
  }
  await page.getByTestId('queue').waitFor()
  await shot(page, 'workbench-handler-desktop')
  // 考核评价: the departments only, his own row marked, no export.
  await page.goto(BASE + '/evaluation')
  await page.locator('[data-testid=eval-row-wh-urban][data-own=true]').waitFor()
  expect((await page.locator('[data-testid^=eval-by-]').count()) === 1, 'departments only')
  expect((await page.getByTestId('eval-export').count()) === 0, 'no export')
  await shot(page, 'evaluation-handler-desktop')
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
  // Quick report comes first; the grid's open cases are the next tab.
  const first = page.getByRole('tab').first()
  expect((await first.innerText()).includes('快速上报') && (await first.getAttribute('aria-selected')) === 'true', 'quick report first')
  await page.getByRole('tab', { name: '我的网格待办' }).click()
  await page.getByTestId('worker-cases').waitFor()
  await shot(page, 'worker-phone')
  await page.getByRole('tab', { name: '快速上报' }).click()
  await cascade(page, 'worker-category', ['宣传广告', '非法小广告'])
  await fill(page, 'worker-description', 'e2e：电线杆上有小广告')
  // The address is checked against the library as typed; a pin names its grid.
  await fill(page, 'worker-address', '统一路10号海景花园2号楼')
  await page.keyboard.press('Tab')
  await page.getByTestId('worker-address-match').waitFor()
  const pin = await gridPixel(page, 'worker-map')
  await page.mouse.click(pin.x, pin.y)
  await page.waitForFunction((g) => document.querySelector('[data-testid=place-info]')?.getAttribute('data-grid') === g, pin.code)
  await addPhotos(page, 'worker-photos', [await pngPhoto(page, 'ad.png', '#f59e0b')])
  await shot(page, 'worker-report-phone')
  await page.getByTestId('worker-submit').click()
  await page.locator('.el-drawer [data-testid="case-detail"]').waitFor()
  const drawer = page.locator('.el-drawer')
  await drawer.getByTestId('action-close_on_spot').waitFor()
  expect((await drawer.getByTestId('case-grid').getAttribute('data-grid')) === pin.code, 'the worker\'s case is in the pinned grid')
  await shot(page, 'worker-case-phone')
  await drawer.getByTestId('action-close_on_spot').click()
  const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('action-submit') }).last()
  await fill(page, 'field-evidence', '已清除')
  await addPhotos(page, 'field-attachments', [await pngPhoto(page, 'cleaned.png', '#0891b2')])
  await shot(page, 'worker-close-photo-phone')
  await dialog.getByTestId('action-submit').click()
  await dialog.waitFor({ state: 'hidden' })
  await drawer.locator('[data-testid="case-detail"][data-state="closed"]').waitFor()
  // The worker sees both photos of the case: the report's and the evidence.
  expect((await photosLoaded(page, '.el-drawer')) === 2, 'two thumbnails in the drawer')
  expect((await drawer.locator('[data-source=closed_on_spot] [data-testid=case-photo]').count()) === 1, 'the evidence photo')
  await drawer.getByTestId('case-photos').scrollIntoViewIfNeeded()
  await shot(page, 'worker-closed-photos-phone')
  await page.context().close()
})

test('grid worker logs a patrol and sees it in today\'s list', async () => {
  const page = await newPage(PHONE)
  await page.context().grantPermissions(['geolocation'])
  // A point in 环翠楼街道 (the demo worker's area); the grid it falls in is the server's answer.
  await page.context().setGeolocation({ longitude: 122.1205, latitude: 37.5065 })
  await login(page, 'worker')
  await page.waitForURL('**/worker')
  await page.getByRole('tab', { name: '今日巡查走访' }).click()
  await page.getByTestId('patrol-list').waitFor()
  const before = await page.getByTestId('patrol-entry').count()
  // An empty note is refused on the note, before anything is sent.
  await page.getByTestId('patrol-submit').click()
  const noteErr = page.locator('[data-testid=patrol-item-note] .el-form-item__error')
  await noteErr.waitFor()
  expect((await noteErr.innerText()).includes('1–1000'), `note error: ${await noteErr.innerText()}`)
  await page.getByTestId('patrol-kind-visit').click()
  const note = 'e2e：走访独居老人王大爷，身体状况良好 ' + Date.now().toString(36)
  await fill(page, 'patrol-note', note)
  await page.getByTestId('patrol-gps').click()
  await page.getByTestId('patrol-location').waitFor()
  await page.getByTestId('patrol-submit').click()
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=patrol-entry-note]')].some((e) => e.textContent === n), note)
  expect((await page.getByTestId('patrol-entry').count()) === before + 1, 'one more entry today')
  const last = page.getByTestId('patrol-entry').last()
  expect((await last.getAttribute('data-kind')) === 'visit', 'the entry is a visit')
  expect((await last.innerText()).includes('走访'), 'the kind is shown')
  const entries = await page.evaluate(async () => (await fetch('/api/v1/patrols')).json())
  const mine = entries.find((e) => e.note === note)
  expect(mine && mine.kind === 'visit' && mine.location, `entry: ${JSON.stringify(mine)}`)
  expect((await last.getByTestId('patrol-grid').innerText()) === (mine.grid ?? '未落入网格'), 'the grid code is shown')
  expect(!(await page.getByTestId('patrol-note').inputValue()), 'the note is cleared after adding')
  await page.getByTestId('patrol-note').fill('e2e：巡查统一路沿线，未发现问题')
  await page.getByTestId('patrol-kind-patrol').click()
  await page.getByTestId('patrol-submit').click()
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=patrol-entry]').length === n, before + 2)
  await shot(page, 'worker-patrol-log-phone')
  await page.context().close()
})

test('grid map draws the grids and opens a grid', async () => {
  for (const [kind, suffix] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
    const page = await newPage(kind)
    await login(page, 'dispatcher')
    await page.goto(BASE + '/map')
    const map = page.getByTestId('case-map')
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=case-map]')?.getAttribute('data-grids') ?? 0) > 0, null, { timeout: 60000 })
    const drawn = Number(await map.getAttribute('data-grids'))
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=case-map]')?.getAttribute('data-grids-rendered') ?? 0) > 0, null, { timeout: 60000 })
    // The grid layer really has features on the canvas, and the counts coloured some of them.
    // What the grid layer has on the canvas; the counts come on their own request, so wait for
    // coloured grids (and give up after a while to report what there is).
    const figures = (ready) => {
      const m = document.querySelector('[data-testid=case-map] .case-map-canvas').__map
      const fs = m.queryRenderedFeatures({ layers: ['grid-fill'] })
      const x = { n: new Set(fs.map((f) => f.properties.code)).size, open: fs.filter((f) => f.properties.open > 0).length, outlines: m.querySourceFeatures('boundaries').length }
      return !ready || (x.open > 0 && x.outlines > 0) ? x : null
    }
    await page.waitForFunction(figures, true, { timeout: 60000 }).catch(() => {})
    const onCanvas = await page.evaluate(figures, false)
    expect(onCanvas.n > 10, `grids on the canvas: ${onCanvas.n} of ${drawn}`)
    expect(onCanvas.open > 0, 'some grids have open cases')
    expect(onCanvas.outlines > 0, 'area outlines drawn')
    expect((await page.getByTestId('map-legend').innerText()).includes('网格内工单数'), 'legend')
    const hit = await gridPixel(page, 'case-map', { preferOpen: true })
    await page.mouse.click(hit.x, hit.y)
    const panel = page.getByTestId('grid-panel')
    await panel.waitFor()
    expect((await panel.getAttribute('data-grid')) === hit.code, `panel of ${hit.code}`)
    const gridApi = await page.evaluate(async (code) => (await fetch(`/api/v1/grids/${code}`)).json(), hit.code)
    expect((await panel.getByTestId('grid-name').innerText()).trim() === gridApi.properties.name, 'grid name')
    expect((await panel.getByTestId('grid-code').innerText()).trim() === hit.code, 'grid code')
    expect((await panel.innerText()).includes(gridApi.properties.type_label), 'grid type')
    expect((await panel.innerText()).includes(gridApi.properties.community_name), 'community')
    expect((await panel.getByTestId('grid-households').innerText()).replace(/\D/g, '') === String(gridApi.properties.households), 'households')
    expect((await panel.getByTestId('grid-population').innerText()).replace(/\D/g, '') === String(gridApi.properties.population), 'population')
    const staff = await panel.getByTestId('grid-staff').innerText()
    for (const label of ['网格长', '专职网格员', '兼职网格员', '驻格民警']) expect(staff.includes(label), `staff row ${label}`)
    // The count agrees with the API, and the grid's cases list.
    const counts = await page.evaluate(async () => (await fetch('/api/v1/cases/counts/grids')).json())
    expect(Number((await panel.getByTestId('grid-open').innerText()).replace(/\D/g, '')) === (counts[hit.code] ?? 0), 'open count')
    await panel.getByTestId('grid-list').click()
    await panel.getByTestId('grid-cases').waitFor()
    if (hit.open > 0) {
      await panel.locator('[data-testid^="grid-case-"]').first().waitFor()
      expect((await panel.locator('[data-testid^="grid-case-"]').count()) === Math.min(hit.open, 20), 'the grid\'s cases listed')
    }
    // The panel scrolls on a phone: show its head and figures.
    await panel.evaluate((el) => [el, ...el.querySelectorAll('.el-card__body')].forEach((e) => (e.scrollTop = 0)))
    await shot(page, `map-grid-${suffix}`)
    if (suffix === 'desktop') {
      // A case of the grid opens its detail, which names the same grid.
      if (hit.open > 0) {
        await panel.locator('[data-testid^="grid-case-"]').first().click()
        await page.locator('.el-drawer [data-testid="case-detail"]').waitFor()
        await page.waitForFunction((g) => document.querySelector('.el-drawer [data-testid=case-grid]')?.getAttribute('data-grid') === g, hit.code)
        await page.keyboard.press('Escape')
      }
      // The workbench link filters the queue by the grid.
      await panel.getByTestId('grid-workbench').click()
      await page.waitForURL(/\/workbench\?.*grid=/)
      await page.getByTestId('filter-grid').waitFor()
      await page.getByTestId('queue').waitFor()
      await queueRows(page, Math.min(hit.open, 50))
      const rows = await page.locator('[data-testid^="row-"]').count()
      expect(rows === Math.min(hit.open, 50), `workbench rows ${rows} vs ${hit.open}`)
    }
    await page.context().close()
  }
})

test('command centre and map screens render with data', async () => {
  const page = await newPage()
  await login(page, 'leader')
  await page.waitForURL('**/screen')
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=kpi-month] .kpi-v')?.textContent ?? 0) > 0, null, { timeout: 60000 })
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=screen-map]')?.getAttribute('data-grids-rendered') ?? 0) > 0, null, { timeout: 60000 })
  await shot(page, 'screen-desktop')
  await page.goto(BASE + '/map')
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=case-map]')?.getAttribute('data-points') ?? 0) > 0)
  await shot(page, 'map-desktop')
  await page.context().close()

  const phone = await newPage(PHONE)
  await login(phone, 'dispatcher')
  await phone.getByTestId('queue').waitFor()
  await shot(phone, 'workbench-phone')
  await phone.goto(BASE + '/screen')
  await phone.waitForFunction(() => Number(document.querySelector('[data-testid=kpi-month] .kpi-v')?.textContent ?? 0) > 0, null, { timeout: 60000 })
  await shot(phone, 'screen-phone')
  await phone.context().close()
})

test('admin adds a grid worker who can sign in, changes the account, edits a department and a category', async () => {
  const page = await newPage()
  await login(page, 'admin')
  await page.waitForURL('**/admin')
  await page.getByTestId('user-row-dispatcher').waitFor()
  // Filters: by text, then by role.
  await fill(page, 'admin-user-search', 'work')
  await page.getByTestId('user-row-dispatcher').waitFor({ state: 'detached' })
  await page.getByTestId('user-row-worker').waitFor()
  await fill(page, 'admin-user-search', '')
  await page.getByTestId('admin-role-filter').click()
  await page.locator('[data-testid=filter-role-department_handler]:visible').click()
  await page.getByTestId('user-row-handler').waitFor()
  expect((await page.getByTestId('user-row-worker').count()) === 0, 'role filter')
  await shot(page, 'admin-users-filtered-desktop')
  await page.locator('[data-testid=admin-role-filter] .el-select__wrapper').hover()
  await page.locator('[data-testid=admin-role-filter] .el-select__clear').click()
  await page.getByTestId('user-row-worker').waitFor()

  // A new grid worker in 环翠楼街道; a short password is refused on the password input.
  const username = 'e2e-worker-' + Date.now().toString(36)
  const password = 'e2e-pass-2026'
  await page.getByTestId('admin-user-add').click()
  const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('user-submit') })
  await dialog.waitFor()
  await fill(page, 'user-username', username)
  await fill(page, 'user-display_name', 'e2e 网格员 赵六')
  await page.getByTestId('user-role').click()
  await page.locator('[data-testid=role-opt-grid_worker]:visible').click()
  expect((await page.getByTestId('user-item-department').count()) === 0, 'no department for a grid worker')
  await cascade(page, 'user-scope', ['环翠区', '环翠楼街道'])
  await page.waitForFunction(() => document.querySelector('[data-testid=user-scope-now]')?.textContent?.includes('371002001'))
  await fill(page, 'user-password', 'short')
  await page.getByTestId('user-submit').click()
  const pwErr = page.locator('[data-testid=user-item-password] .el-form-item__error')
  await pwErr.waitFor()
  expect((await pwErr.innerText()).includes('密码至少 8 位'), `password error: ${await pwErr.innerText()}`)
  await shot(page, 'admin-user-dialog-desktop')
  await fill(page, 'user-password', password)
  await page.getByTestId('user-submit').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.getByTestId(`user-row-${username}`).waitFor()
  await shot(page, 'admin-users-desktop')

  // The new account signs in on a phone and lands on the worker view.
  const phone = await newPage(PHONE)
  await phone.goto(BASE + '/login')
  await fill(phone, 'login-username', username)
  await fill(phone, 'login-password', password)
  await phone.getByTestId('login-submit').click()
  await phone.waitForURL('**/worker')
  await phone.getByTestId('worker-submit').waitFor()
  const me = await phone.evaluate(async () => (await fetch('/api/v1/me')).json())
  expect(me.role === 'grid_worker' && me.scope === '371002001', `me: ${JSON.stringify(me)}`)
  await shot(phone, 'admin-new-worker-phone')
  await phone.context().close()

  // The account becomes a department handler: the department is asked for, then sent.
  await page.getByTestId(`user-edit-${username}`).click()
  await dialog.waitFor()
  await page.getByTestId('user-role').click()
  await page.locator('[data-testid=role-opt-department_handler]:visible').click()
  await page.getByTestId('user-item-department').waitFor()
  await page.getByTestId('user-submit').click()
  await page.locator('[data-testid=user-item-department] .el-form-item__error').waitFor()
  await page.getByTestId('user-department').click()
  await page.locator('[data-testid=dept-opt-wh-water]:visible').click()
  await page.getByTestId('user-submit').click()
  await dialog.waitFor({ state: 'hidden' })
  const changed = (await page.evaluate(async () => (await fetch('/api/v1/admin/users')).json())).find((u) => u.username === username)
  expect(changed.role === 'department_handler' && changed.department === 'wh-water', `changed: ${JSON.stringify(changed)}`)

  // A department: its English name and one more category.
  await page.getByRole('tab', { name: '职能部门' }).click()
  await page.getByTestId('dept-edit-wh-water').click()
  const ddialog = page.locator('.el-dialog').filter({ has: page.getByTestId('dept-submit') })
  await ddialog.waitFor()
  await fill(page, 'dept-name_en', 'Weihai Water Group (e2e)')
  // Open the list by its arrow: the middle of the box may be a chosen category's remove button,
  // depending on how wide the fonts draw the chosen ones.
  await page.getByTestId('dept-categories').locator('.el-select__suffix').click()
  await page.locator('[data-testid=cat-opt-0103]:visible').click()
  await page.keyboard.press('Escape')
  await shot(page, 'admin-dept-dialog-desktop')
  await page.getByTestId('dept-submit').click()
  await ddialog.waitFor({ state: 'hidden' })
  await page.waitForFunction(() => document.querySelector('[data-testid=dept-row-en-wh-water]')?.textContent === 'Weihai Water Group (e2e)')
  const dept = (await page.evaluate(async () => (await fetch('/api/v1/departments')).json())).find((d) => d.id === 'wh-water')
  expect(dept.name_en === 'Weihai Water Group (e2e)' && dept.categories.includes('0103'), `department: ${JSON.stringify(dept)}`)
  await shot(page, 'admin-departments-desktop')

  // A category: its English name, shown in the list; a subclass without its main class is refused.
  await page.getByRole('tab', { name: '事件类别' }).click()
  await page.getByTestId('cat-edit-0101').click()
  const cdialog = page.locator('.el-dialog').filter({ has: page.getByTestId('cat-submit') })
  await cdialog.waitFor()
  expect(await page.getByTestId('cat-code').isDisabled(), 'the code is fixed when editing')
  await fill(page, 'cat-name_en', 'Unauthorised building (e2e)')
  await page.getByTestId('cat-priority-high').click()
  await shot(page, 'admin-category-dialog-desktop')
  await page.getByTestId('cat-submit').click()
  await cdialog.waitFor({ state: 'hidden' })
  await page.waitForFunction(() => document.querySelector('[data-testid=cat-row-en-0101]')?.textContent === 'Unauthorised building (e2e)')
  const cat = (await page.evaluate(async () => (await fetch('/api/v1/categories')).json())).find((c) => c.code === '0101')
  expect(cat.name_en === 'Unauthorised building (e2e)' && cat.priority === 'high', `category: ${JSON.stringify(cat)}`)
  await page.getByTestId('admin-cat-add').click()
  await cdialog.waitFor()
  await fill(page, 'cat-code', '9901')
  await fill(page, 'cat-name', 'e2e 小类')
  await page.getByTestId('cat-submit').click()
  const codeErr = page.locator('[data-testid=cat-item-code] .el-form-item__error')
  await codeErr.waitFor()
  expect((await codeErr.innerText()).includes('99'), `code error: ${await codeErr.innerText()}`)
  await cdialog.getByRole('button', { name: '取消' }).click()
  await cdialog.waitFor({ state: 'hidden' })
  await shot(page, 'admin-categories-desktop')
  await page.context().close()

  const small = await newPage(PHONE)
  await login(small, 'admin')
  await small.getByTestId(`user-row-${username}`).waitFor()
  await shot(small, 'admin-users-phone')
  await small.context().close()
})

// Signing in, the resident's report, the dispatcher's first steps and finding a case.

import {
  BASE, PHONE, act, addPhotos, cascade, caseState, expect, fill, gridPixel, login, needs, newPage, photosLoaded, pngPhoto, queueRows, shared, shot, test,
} from '../kit.mjs'

Object.assign(shared, {
  // A hotline address that fits several standard addresses of the demo library, none surely.
  ambiguous: '环翠楼街道统一路10号海景花园2号楼',
  // The handler's feedback ('handler claims and handles'), shown again to the dispatcher verifying.
  feedback: '已清运完毕',
})

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
  // The error is worded in Chinese from its code and details (the attempts left), not the API's English.
  const wrong = await err.innerText()
  expect(wrong.includes('用户名或密码错误') && wrong.includes('还可尝试') && /\d+ 次/.test(wrong), `Chinese error with the attempts left expected: ${wrong}`)
  expect(!wrong.includes('attempts left'), `no English API message expected: ${wrong}`)
  // Each try waits for the server's answer and for the page to show it, however slow either is.
  for (let i = 0; i < 8 && (await err.getAttribute('data-code')) !== 'account_locked'; i++) {
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST')
    await page.getByTestId('login-submit').click()
    const code = (await (await answered).json()).error?.code
    await page.waitForFunction((c) => document.querySelector('[data-testid=login-error]')?.getAttribute('data-code') === c, code)
  }
  expect((await err.getAttribute('data-code')) === 'account_locked', 'account_locked expected')
  const locked = await err.innerText()
  expect(locked.includes('锁定') && locked.includes('分钟后再试'), `Chinese lockout text with the minutes expected: ${locked}`)
  expect(!/try again|minutes/.test(locked), `no English API message expected: ${locked}`)
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
  // The map opens on request; a pin on it, inside a grid of 环翠楼街道: the page says which grid
  // and community.
  await page.getByTestId('show-map').click()
  const pin = await gridPixel(page, 'report-map', { prefix: '371002001' })
  await page.mouse.click(pin.x, pin.y)
  const place = page.getByTestId('place-info')
  await page.waitForFunction(() => document.querySelector('[data-testid=place-info]')?.getAttribute('data-grid'))
  shared.grid = await place.getAttribute('data-grid')
  expect(shared.grid === pin.code, `pinned grid ${shared.grid} vs drawn ${pin.code}`)
  expect((await place.innerText()).includes('环翠楼街道'), 'the town of the pin is named')
  await fill(page, 'report-phone', '13800138000')
  // A photo: a file that is no image is refused by the server, shown on its tile in Chinese and
  // removed; the real photo uploads and shows its thumbnail.
  await page.getByTestId('report-photos-input').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') })
  const bad = page.locator('[data-testid="report-photos-item"][data-status="error"]')
  await bad.waitFor()
  expect((await bad.getAttribute('data-problem')) === 'notImage', `refusal: ${await bad.getAttribute('data-problem')}`)
  expect((await bad.innerText()).includes('无法识别的图片'), 'the refusal in Chinese')
  await page.getByTestId('report-photos-input').setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('x') })
  await page.locator('[data-testid="report-photos-item"][data-problem="badType"]').waitFor()
  await page.getByTestId('report-photos').scrollIntoViewIfNeeded()
  await shot(page, 'resident-photo-errors-phone')
  for (let i = 0; i < 2; i++) await page.locator('[data-testid="report-photos-item"][data-status="error"] [data-testid="report-photos-remove"]').first().click()
  await addPhotos(page, 'report-photos', [await pngPhoto(page, 'rubbish.png', '#16a34a')])
  expect((await page.getByTestId('report-photos').getAttribute('data-count')) === '1', 'one photo ready')
  expect((await page.locator('[data-testid="report-photos-item"] img').evaluate((i) => i.naturalWidth)) > 0, 'preview shown')
  await page.getByTestId('report-photos').scrollIntoViewIfNeeded()
  await shot(page, 'resident-report-phone')
  await page.getByTestId('report-submit').click()
  await page.getByTestId('report-receipt').waitFor()
  expect((await page.getByTestId('receipt-photos').innerText()).includes('1'), 'the receipt counts the photo')
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
  // The pin put the case in its grid; the detail names it and says how it was found.
  const grid = page.getByTestId('case-grid')
  expect((await grid.getAttribute('data-grid')) === shared.grid, `case grid ${await grid.getAttribute('data-grid')} vs ${shared.grid}`)
  await page.waitForFunction((g) => document.querySelector('[data-testid=case-grid]')?.textContent?.includes('（' + g + '）'), shared.grid)
  expect((await page.getByTestId('case-located').getAttribute('data-located-by')) === 'point', 'located by its point')
  expect((await page.getByTestId('case-located').innerText()).includes('按坐标落格'), 'located text')
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=case-small-map]')?.getAttribute('data-grids-rendered') ?? 0) > 0)
  // The resident's photo: its thumbnail really loaded, the full photo opens in the preview.
  expect((await photosLoaded(page)) === 1, 'one thumbnail')
  const photoCase = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), shared.id)
  expect(photoCase.attachments.length === 1, `attachments ${photoCase.attachments}`)
  expect((await page.getByTestId('case-photo').getAttribute('data-id')) === photoCase.attachments[0], 'the thumbnail is the photo')
  await shot(page, 'workbench-desktop')
  await page.getByTestId('case-photos').scrollIntoViewIfNeeded()
  await shot(page, 'workbench-photo-desktop')
  await page.getByTestId('case-photo').click()
  await page.waitForFunction(() => {
    const i = document.querySelector('.el-image-viewer__wrapper img.el-image-viewer__img')
    return i && i.complete && i.naturalWidth === 96
  })
  await shot(page, 'workbench-photo-preview-desktop')
  await page.keyboard.press('Escape')
  await page.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' })
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

test("dispatcher finds a case by its number and by the caller's phone", async () => {
  expect(shared.id && shared.code, 'the resident\'s case of the earlier tests')
  const page = await newPage()
  await login(page, 'dispatcher')
  await needs(page, `/api/v1/cases/${shared.id}/same-caller`)
  // The resident gave 13800138000; the same caller rings the hotline, the number spelt otherwise.
  const other = await page.evaluate(async () => {
    const r = await fetch('/api/v1/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: '0102', area: '371002001', channel: 'hotline', description: 'e2e：楼道灯不亮', reporter_phone: '+86 138 0013 8000' }),
    })
    return r.json()
  })
  expect(other.id && other.code, `case created: ${JSON.stringify(other).slice(0, 200)}`)
  expect(other.reporter_phone === '138****8000', `masked phone: ${other.reporter_phone}`)

  // The tracking code answers its case alone, and opens it at once.
  await page.goto(`${BASE}/workbench`)
  const box = page.getByTestId('queue-search')
  await box.waitFor()
  await page.getByTestId('counts').waitFor()
  await box.fill(shared.code)
  await box.press('Enter')
  await page.waitForURL((u) => u.searchParams.get('q') === shared.code && u.searchParams.get('case') === shared.id)
  await page.locator(`[data-testid=case-detail][data-case-id="${shared.id}"] [data-testid=case-code]`).waitFor()
  expect((await page.getByTestId('case-code').innerText()).trim() === shared.code, `detail shows ${await page.getByTestId('case-code').innerText()}`)
  await queueRows(page, 1)
  expect((await page.locator('[data-testid^="row-"]').count()) === 1, 'one row for a tracking code')
  expect((await page.getByTestId('count-total').innerText()).trim() === '1', `total ${await page.getByTestId('count-total').innerText()}`)

  // The phone however written: both of the caller's cases, as the API lists them.
  await box.fill('138-0013-8000')
  await box.press('Enter')
  await page.waitForURL((u) => u.searchParams.get('q') === '138-0013-8000')
  await page.getByTestId(`row-${other.code}`).waitFor()
  const api = await page.evaluate(async () => (await (await fetch('/api/v1/cases?q=' + encodeURIComponent('138-0013-8000') + '&limit=50')).json()).items.map((c) => c.code))
  expect(api.includes(shared.code) && api.includes(other.code), `the API finds both by the phone: ${api}`)
  await queueRows(page, api.length)
  const rows = await page.locator('[data-testid^="row-"]').evaluateAll((els) => els.map((e) => e.textContent.trim()))
  expect(rows.includes(shared.code) && rows.includes(other.code), `rows ${rows}`)
  // The 时限 column shows the running limit and the time left, not only when late.
  const c = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), shared.id)
  if (c.deadline) {
    const cell = page.getByTestId(`deadline-${shared.code}`)
    expect(['ok', 'yellow', 'red'].includes(await cell.getAttribute('data-tone')), `tone ${await cell.getAttribute('data-tone')}`)
    expect(/剩余|已超期/.test(await cell.innerText()), `deadline cell: ${await cell.innerText()}`)
  }

  // The detail (still the resident's case) lists the caller's other cases; a code opens one.
  const same = page.getByTestId('case-same-caller')
  await same.locator('.el-collapse-item__header').click()
  const item = page.getByTestId(`same-caller-${other.code}`)
  await item.waitFor()
  const listed = await page.evaluate(async (id) => (await (await fetch(`/api/v1/cases/${id}/same-caller`)).json()).items.length, shared.id)
  await page.waitForFunction((n) => document.querySelector('[data-testid=case-same-caller]')?.getAttribute('data-count') === String(n), listed)
  expect((await page.getByTestId('same-caller-count').innerText()).trim() === String(listed), `header count vs ${listed}`)
  await shot(page, 'workbench-search-desktop')
  // The queue as it stands, to Excel: the same search in the link, a workbook back.
  const xlsx = await page.getByTestId('queue-export').getAttribute('href')
  expect(xlsx.startsWith('/api/v1/cases/export.xlsx?') && xlsx.includes('q='), `export link ${xlsx}`)
  const sheet = await page.evaluate(async (h) => {
    const r = await fetch(h)
    const b = new Uint8Array(await r.arrayBuffer())
    return { status: r.status, magic: String.fromCharCode(b[0], b[1]) }
  }, xlsx)
  expect(sheet.status === 200 && sheet.magic === 'PK', `queue export: ${JSON.stringify(sheet)}`)
  await item.locator('a').click()
  await page.waitForURL((u) => u.searchParams.get('case') === other.id && u.searchParams.get('q') === '138-0013-8000')
  // The detail's id changes at once, its fields once the other case has loaded.
  await page.waitForFunction((code) => document.querySelector('[data-testid=case-code]')?.textContent?.trim() === code, other.code)
  expect((await page.getByTestId('case-detail').getAttribute('data-case-id')) === other.id, 'the other case opened')
  await page.context().close()
})

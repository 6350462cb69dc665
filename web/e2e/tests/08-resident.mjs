// The resident (issue 20): a problem chosen in plain words, the signed-in resident's own
// reports, the department's reply in the tracking, and what neighbours reported nearby.

import { BASE, PHONE, cascade, expect, fill, gridPixel, login, newPage, shot, test } from '../kit.mjs'

test('a signed-in resident reports in plain words, finds it under 我的报事, and neighbours see it nearby', async () => {
  const page = await newPage(PHONE)
  await login(page, 'resident')
  await page.waitForURL((u) => u.pathname === '/resident')
  // 路灯不亮 files under the catalogue's 道路照明, with examples in plain words.
  await page.getByTestId('plain-1303').click()
  expect((await page.getByTestId('plain-examples').innerText()).includes('一闪一闪'), 'the examples of the chosen problem')
  await page.waitForFunction(() => document.querySelector('[data-testid=report-category] input')?.value?.includes('道路照明'))
  await fill(page, 'report-description', 'e2e：小区东门路灯一直不亮')
  await page.getByTestId('show-map').click()
  const pin = await gridPixel(page, 'report-map', { prefix: '371002001' })
  await page.mouse.click(pin.x, pin.y)
  await page.getByTestId('location-set').waitFor()
  await shot(page, 'resident-plain-words-phone')
  await page.getByTestId('report-submit').click()
  await page.getByTestId('report-receipt').waitFor()
  const code = (await page.getByTestId('receipt-code').innerText()).trim()

  // 我的报事: the server lists the signed-in resident's own reports.
  await page.goto(`${BASE}/resident?tab=track`)
  await page.getByTestId(`my-${code}`).waitFor()
  await page.getByTestId(`my-${code}`).click()
  await page.getByTestId('tracked').waitFor()
  expect((await page.getByTestId('tracked').innerText()).includes('道路照明'), 'the tracked case')

  // A neighbour's phone at the same place sees it on 附近, with no text of the report.
  const c = await page.evaluate(async (code) => (await (await fetch('/api/v1/cases?q=' + code)).json()).items[0], code)
  await page.context().close()
  const neighbour = await newPage(PHONE)
  await neighbour.context().grantPermissions(['geolocation'], { origin: BASE })
  await neighbour.context().setGeolocation({ longitude: c.location.lon, latitude: c.location.lat })
  await neighbour.goto(`${BASE}/resident?tab=nearby`)
  await neighbour.getByTestId('nearby-gps').click()
  const row = neighbour.getByTestId(`nearby-${code}`)
  await row.waitFor({ timeout: 60000 })
  expect((await row.innerText()).includes('道路照明'), 'its category')
  expect(!(await neighbour.getByTestId('nearby').innerText()).includes('路灯一直不亮'), 'no text of the report')
  await shot(neighbour, 'resident-nearby-phone')
  await neighbour.context().close()
})

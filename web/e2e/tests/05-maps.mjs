// Maps without tiles from outside: the platform's own data stands in for a basemap, with a note
// that says why (none configured, or the configured one cannot be reached); clusters carry
// their counts; a case's map shows its grid among its neighbours.

import { BASE, DESKTOP, expect, fill, login, newPage, shared, shot, test } from '../kit.mjs'

/** Waits until the map `testid` has decided about its basemap; answers the state. */
async function basemapState(page, testid) {
  await page.waitForFunction((tid) => document.querySelector(`[data-testid="${tid}"]`)?.getAttribute('data-basemap'), testid, { timeout: 60000 })
  return page.getByTestId(testid).getAttribute('data-basemap')
}

test('with no basemap configured the map draws outlines, names and road sketches, and says so', async () => {
  const page = await newPage(DESKTOP)
  await login(page, 'dispatcher')
  await page.goto(BASE + '/map')
  expect((await basemapState(page, 'case-map')) === 'none', 'the demo city configures no basemap')
  const note = page.getByTestId('basemap-note')
  expect((await note.innerText()).includes('未配置底图'), `the note: ${await note.innerText()}`)
  // Road sketches from the address library, and the towns' names.
  await page.waitForFunction(() => {
    const m = document.querySelector('[data-testid=case-map] .case-map-canvas')?.__map
    return m?.getSource('roads') && m.querySourceFeatures('roads').length > 0
  }, null, { timeout: 60000 })
  const towns = await page.locator('[data-testid=case-map] .map-name-town').allInnerTexts()
  expect(towns.includes('环翠楼街道'), `town names on the map: ${towns.join(',')}`)
  // Clusters carry their counts, which add up to the points drawn.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=case-map] .cluster-count').length > 0, null, { timeout: 60000 })
  const counts = await page.locator('[data-testid=case-map] .cluster-count').evaluateAll((els) => els.map((e) => Number(e.dataset.count)))
  const points = Number(await page.getByTestId('case-map').getAttribute('data-points'))
  expect(counts.every((n) => n >= 2) && counts.reduce((a, b) => a + b, 0) <= points, `cluster counts ${counts} of ${points} points`)
  await shot(page, 'map-no-basemap-desktop')
  await page.context().close()
})

test('a basemap that cannot be reached gives way to the platform\'s own data with a note', async () => {
  const page = await newPage(DESKTOP)
  // A tile server that answers nothing but 404 (a path on this server with no such files).
  await page.route('**/api/v1/map/basemap', (route) =>
    route.fulfill({ json: { kind: 'xyz', layers: [[`${BASE}/no-tiles/{z}/{x}/{y}.png`]], pmtiles_url: null, pmtiles_type: null, attribution: '', max_zoom: 18 } }),
  )
  await login(page, 'dispatcher')
  await page.goto(BASE + '/map')
  expect((await basemapState(page, 'case-map')) === 'unreachable', 'the broken tile server noticed')
  expect((await page.getByTestId('basemap-note').innerText()).includes('底图无法访问'), 'the note says the basemap cannot be reached')
  await page.context().close()
})

test("a case's map shows its grid among the neighbouring grids", async () => {
  expect(shared.id, 'the resident\'s case of the earlier tests')
  const page = await newPage(DESKTOP)
  await login(page, 'dispatcher')
  await page.goto(`${BASE}/workbench?case=${shared.id}`)
  const map = page.getByTestId('case-small-map')
  await map.waitFor()
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=case-small-map]')?.getAttribute('data-grids') ?? 0) > 1, null, { timeout: 60000 })
  const c = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), shared.id)
  const community = await page.evaluate(async (code) => (await fetch(`/api/v1/grids/${code}`)).json(), c.grid)
  const siblings = await page.evaluate(async (area) => (await fetch(`/api/v1/grids?area=${area}`)).json(), community.properties.community)
  expect(Number(await map.getAttribute('data-grids')) === siblings.features.length, 'the community\'s grids drawn')
  await page.context().close()
})

test('a dispatcher pins a case by searching an address in the locate dialog', async () => {
  const page = await newPage(DESKTOP)
  await login(page, 'dispatcher')
  // A hotline case that names only its town.
  const id = await page.evaluate(async () => {
    const r = await fetch('/api/v1/cases', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ category: '0102', description: 'e2e：来电只说了街道', area: '371002001', channel: 'hotline' }) })
    return (await r.json()).id
  })
  await page.goto(`${BASE}/workbench?case=${id}`)
  await page.getByTestId('case-detail').getByTestId('action-locate').click()
  const dialog = page.getByTestId('locate-dialog')
  await dialog.waitFor()
  await fill(page, 'locate-search', '统一路10号海景花园2号楼')
  await dialog.getByTestId('locate-search-go').click()
  const first = dialog.locator('[data-testid^="candidate-"]').first()
  await first.waitFor()
  expect((await first.innerText()).includes('海景花园'), `the candidate: ${await first.innerText()}`)
  await first.click()
  await dialog.getByTestId('action-submit').click()
  await dialog.waitFor({ state: 'hidden' })
  const c = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), id)
  expect(c.grid && c.location && c.located_by === 'person', `placed by the dispatcher: ${c.grid} ${JSON.stringify(c.location)} ${c.located_by}`)
  await page.context().close()
})

// Access for everyone: the main pages checked with axe-core (no serious or critical violation),
// the queue opened from the keyboard, and the command-centre wall at 1920×1080 with nothing
// below the fold and no controls.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { BASE, DESKTOP, PHONE, expect, login, newPage, quiet, shot, test } from '../kit.mjs'

// Evaluated through the browser's debugging protocol: the pages' CSP rightly refuses inline scripts.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** axe-core's serious and critical violations on the page as it stands, one line each. */
async function violations(page) {
  await quiet(page)
  await page.evaluate(AXE)
  const found = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] })
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 3 ? ` … ${v.nodes.length} in all` : ''}`)
  })
  return found
}

// Each page is checked once what it shows has come (`ready`: a CSS selector).
const PAGES = [
  { name: 'login', user: null, path: '/login', kind: DESKTOP, ready: '[data-testid=login-submit]' },
  { name: 'resident report', user: null, path: '/resident', kind: PHONE, ready: '[data-testid=report-category][data-loaded=true]' },
  { name: 'resident tracking', user: null, path: '/resident?tab=track', kind: PHONE, ready: '[data-testid=track-submit]' },
  { name: 'workbench', user: 'dispatcher', path: '/workbench', kind: DESKTOP, ready: '[data-testid^="row-"]' },
  { name: 'grid map', user: 'dispatcher', path: '/map', kind: DESKTOP, ready: '[data-testid=case-map][data-basemap]:not([data-basemap=""])' },
  { name: 'evaluation', user: 'leader', path: '/evaluation', kind: DESKTOP, ready: '[data-testid=eval-table]' },
  { name: 'grid worker', user: 'worker', path: '/worker', kind: PHONE, ready: '[data-testid=worker-submit]' },
  { name: 'admin', user: 'admin', path: '/admin', kind: DESKTOP, ready: '.el-tabs .el-table__row' },
  { name: 'method', user: 'leader', path: '/evaluation/method', kind: DESKTOP, ready: '[data-testid=eval-method-page-rules]' },
  { name: 'command-centre screen', user: 'leader', path: '/screen', kind: { viewport: { width: 1920, height: 1080 } }, ready: '[data-testid=kpi-today]' },
]

test('the main pages have no serious or critical accessibility violation (axe-core)', async () => {
  const problems = []
  for (const p of PAGES) {
    const page = await newPage(p.kind)
    if (p.user) await login(page, p.user)
    await page.goto(BASE + p.path)
    await page.locator(p.ready).first().waitFor()
    for (const v of await violations(page)) problems.push(`${p.name}: ${v}`)
    await page.context().close()
  }
  for (const p of problems) console.log(`  axe: ${p}`)
  expect(problems.length === 0, `axe-core found ${problems.length} serious or critical violations (listed above)`)
})

test('the keyboard reaches the queue and opens a case; a column sorts the whole list', async () => {
  const page = await newPage(DESKTOP)
  await login(page, 'dispatcher')
  await page.goto(BASE + '/workbench')
  await page.locator('[data-testid^="row-"]').first().waitFor()
  // From the search box, Tab until a case in the queue has the focus.
  await page.getByTestId('queue-search').focus()
  let focused = null
  for (let i = 0; i < 80 && !focused; i++) {
    await page.keyboard.press('Tab')
    focused = await page.evaluate(() => {
      const a = document.activeElement
      return a?.getAttribute('data-testid')?.startsWith('row-') ? a.getAttribute('data-testid').slice(4) : null
    })
  }
  expect(focused, 'Tab reaches a case of the queue')
  await page.keyboard.press('Enter')
  await page.waitForFunction((code) => document.querySelector('[data-testid=case-code]')?.textContent?.trim() === code, focused)
  expect(new URL(page.url()).searchParams.get('case'), 'the case is in the address')
  await shot(page, 'workbench-keyboard-desktop')

  // 时限, soonest first: the whole list loaded (beyond the first page of 50) and sorted, cases
  // without a running limit last.
  const total = Number(await page.getByTestId('count-total').innerText())
  await page.locator('.queue th', { hasText: '时限' }).click()
  await page.waitForFunction((n) => {
    const dues = [...document.querySelectorAll('[data-testid^="row-"]')].map((e) => e.getAttribute('data-due'))
    const set = dues.filter(Boolean)
    return dues.length === n && set.every((d, i) => i === 0 || Date.parse(set[i - 1]) <= Date.parse(d))
  }, Math.min(total, 1000), { timeout: 60000 }).catch(() => {})
  const rows = await page.locator('[data-testid^="row-"]').count()
  expect(total > 50, `the demo queue spans more than one page: ${total}`)
  expect(rows === Math.min(total, 1000), `all ${total} cases sorted, ${rows} shown`)
  const dues = await page.locator('[data-testid^="row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-due')))
  const set = dues.filter(Boolean)
  expect(set.every((d, i) => i === 0 || Date.parse(set[i - 1]) <= Date.parse(d)), 'soonest deadline first')
  expect(dues.slice(set.length).every((d) => !d), 'cases without a running limit last')
  await page.context().close()
})

test('the command-centre wall at 1920×1080: everything in view, no control on it', async () => {
  const WALL = { viewport: { width: 1920, height: 1080 } }
  const page = await newPage(WALL)
  await login(page, 'leader')
  await page.goto(BASE + '/screen')
  await page.getByTestId('screen-wall').click()
  await page.waitForURL((u) => u.searchParams.get('wall') === '1')
  await page.locator('[data-testid=screen-map] [data-map-ready=true]').waitFor({ timeout: 60000 })
  await page.getByTestId('kpi-today').waitFor()
  await quiet(page)
  const fit = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth, vh: innerHeight, vw: innerWidth }))
  expect(fit.h <= fit.vh && fit.w <= fit.vw, `the wall scrolls: page ${fit.w}×${fit.h} in ${fit.vw}×${fit.vh}`)
  // Nothing to press on the wall: no button, link, field or map control that shows.
  const controls = await page.evaluate(() =>
    [...document.querySelectorAll('button, a[href], input, select, textarea, [role=button], .maplibregl-ctrl')]
      .filter((e) => e.getClientRects().length > 0)
      .map((e) => e.outerHTML.slice(0, 80)),
  )
  expect(controls.length === 0, `controls on the wall: ${controls.join(' | ')}`)
  // The whole page's picture is the screen's picture: nothing below the fold.
  await shot(page, 'screen-wall-1920')
  const whole = await page.screenshot({ fullPage: true })
  const size = (png) => ({ w: png.readUInt32BE(16), h: png.readUInt32BE(20) })
  expect(JSON.stringify(size(whole)) === JSON.stringify({ w: 1920, h: 1080 }), `full-page picture ${JSON.stringify(size(whole))}`)
  await page.context().close()
})

// The end-to-end tests' kit: the browser, pages that may reach nothing outside the server, and
// the steps the journeys share (sign in, fill, pick in a cascader, run a case action, find a grid
// on a map). The journeys are in tests/, run in order by run.mjs.

import { chromium } from 'playwright-core'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const BASE = process.env.CIVICGRID_URL ?? 'http://127.0.0.1:18080'
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots')
export const PASSWORD = 'civicgrid'
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
export const DESKTOP = { viewport: { width: 1440, height: 900 } }

mkdirSync(SHOTS, { recursive: true })
for (const f of readdirSync(SHOTS)) if (f.startsWith('failure-')) rmSync(join(SHOTS, f))
export const profile = mkdtempSync(join(tmpdir(), 'civicgrid-e2e-'))
export const browser = await chromium.launch({
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

export const externalRequests = []

export async function newPage(kind = DESKTOP, lang = 'zh-CN') {
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
  // Generous: a loaded 2-core machine may take many seconds for a step; a hang still ends.
  page.setDefaultTimeout(30000)
  page.on('pageerror', (e) => console.log(`  [pageerror] ${e.message}`))
  return page
}

/**
 * Waits until the page has settled: no finite CSS animation or transition running (dialogs,
 * drawers, tabs), no loading mask, and every map loaded and at rest. Gives up quietly after
 * `timeout`: it only makes screenshots tidy and map pixels stable, never a test's verdict.
 */
export async function quiet(page, timeout = 20000) {
  await page
    .waitForFunction(
      () => {
        const finite = (a) => Number.isFinite(a.effect?.getComputedTiming?.().endTime ?? Infinity)
        const moving = document.getAnimations().some((a) => a.playState === 'running' && finite(a))
        const masks = [...document.querySelectorAll('.el-loading-mask')].some((m) => m.getClientRects().length > 0)
        const maps = [...document.querySelectorAll('.case-map-canvas')].map((c) => c.__map).filter(Boolean)
        return !moving && !masks && maps.every((m) => m.loaded() && !m.isMoving())
      },
      null,
      { timeout, polling: 100 },
    )
    .catch(() => {})
}

export async function shot(page, name) {
  await quiet(page)
  // Charts draw their entry animation on a canvas, which the page cannot be asked about: a short
  // pause for the picture only (no test waits on it).
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
}

/**
 * Waits until the workbench's queue shows `n` rows (all with `card`, when given) after a filter
 * changed; the assertions that follow report what it shows if it never does.
 */
export async function queueRows(page, n, card) {
  await page
    .waitForFunction(
      ({ n, card }) => {
        const rows = document.querySelectorAll('[data-testid^="row-"]').length
        const marks = [...document.querySelectorAll('[data-testid=queue] [data-card]')].map((e) => e.getAttribute('data-card'))
        return rows === n && (!card || (marks.length === n && marks.every((m) => m === card)))
      },
      { n, card },
      { timeout: 60000 },
    )
    .catch(() => {})
}

/** Fills an Element Plus input found by its data-testid (the attribute sits on the <input>/<textarea>). */
export async function fill(page, testid, value) {
  const el = page.getByTestId(testid)
  const tag = await el.evaluate((n) => n.tagName)
  if (tag === 'INPUT' || tag === 'TEXTAREA') await el.fill(value)
  else await el.locator('input, textarea').first().fill(value)
}

export async function login(page, username) {
  await page.goto(BASE + '/login')
  await fill(page, 'login-username', username)
  await fill(page, 'login-password', PASSWORD)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

/** Picks the options of an el-cascader by their visible labels, level by level. */
export async function cascade(page, testid, labels) {
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
export async function act(page, id, action, fillDialog) {
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

/**
 * A pixel of a map (by its data-testid) inside a drawn grid, with nothing drawn over it (no case
 * point, cluster or marker) and no page element in front of the canvas. `prefix` asks for a grid
 * whose code starts with it; `preferOpen` for the grid with the most cases. Answers page
 * coordinates and the grid's code and count.
 */
export async function gridPixel(page, testid, { prefix = '', preferOpen = false } = {}) {
  const map = page.locator(`[data-testid="${testid}"]`).first()
  await map.scrollIntoViewIfNeeded()
  await page.waitForFunction(
    (tid) => Number(document.querySelector(`[data-testid="${tid}"]`)?.getAttribute('data-grids-rendered') ?? 0) > 0,
    testid,
    { timeout: 60000 },
  )
  // The map may still be fitting its bounds: pixels are only meaningful once it rests.
  await page.waitForFunction(
    (tid) => {
      const m = document.querySelector(`[data-testid="${tid}"] .case-map-canvas`)?.__map
      return m && m.loaded() && !m.isMoving()
    },
    testid,
    { timeout: 60000 },
  )
  const hit = await page.evaluate(({ testid, prefix, preferOpen }) => {
    const m = document.querySelector(`[data-testid="${testid}"] .case-map-canvas`).__map
    const canvas = m.getCanvas()
    const r = canvas.getBoundingClientRect()
    const layers = ['grid-fill', 'points', 'clusters', 'marker'].filter((l) => m.getLayer(l))
    // Pixels every 14 px, the middle of the map first.
    const pixels = []
    for (let y = 24; y < r.height - 24; y += 14) for (let x = 24; x < r.width - 24; x += 14) pixels.push([x, y])
    pixels.sort((a, b) => Math.hypot(a[0] - r.width / 2, a[1] - r.height / 2) - Math.hypot(b[0] - r.width / 2, b[1] - r.height / 2))
    let best = null
    for (const [x, y] of pixels) {
      if (document.elementFromPoint(r.left + x, r.top + y) !== canvas) continue
      // Also keep clear of points just beside the pixel.
      const near = m.queryRenderedFeatures([[x - 10, y - 10], [x + 10, y + 10]], { layers })
      if (near.some((f) => f.layer.id !== 'grid-fill')) continue
      const here = m.queryRenderedFeatures([x, y], { layers: ['grid-fill'] })
      if (here.length !== 1) continue
      const p = here[0].properties
      if (!String(p.code).startsWith(prefix)) continue
      const open = Number(p.open ?? 0)
      if (!best || (preferOpen && open > best.open)) best = { x: r.left + x, y: r.top + y, code: String(p.code), open }
      if (!preferOpen) return best
    }
    return best
  }, { testid, prefix, preferOpen })
  expect(hit, `a grid ${prefix} on the map ${testid}`)
  return hit
}

/**
 * A small PNG drawn on a canvas in the page (nothing downloaded): a photo for the uploads.
 * Answers { name, mimeType, buffer } for setInputFiles.
 */
export async function pngPhoto(page, name, colour) {
  const b64 = await page.evaluate((colour) => {
    const c = document.createElement('canvas')
    c.width = 96
    c.height = 72
    const g = c.getContext('2d')
    g.fillStyle = '#e5e7eb'
    g.fillRect(0, 0, 96, 72)
    g.fillStyle = colour
    g.fillRect(18, 14, 60, 44)
    g.fillStyle = '#111827'
    g.fillRect(30, 6, 36, 10)
    return c.toDataURL('image/png').split(',')[1]
  }, colour)
  return { name, mimeType: 'image/png', buffer: Buffer.from(b64, 'base64') }
}

/** Adds photos through a PhotoUploader (by its testid) and waits until they are uploaded. */
export async function addPhotos(page, testid, files) {
  const before = await page.locator(`[data-testid="${testid}-item"][data-status="done"]`).count()
  await page.getByTestId(`${testid}-input`).setInputFiles(files)
  await page.waitForFunction(
    ({ testid, n }) => document.querySelectorAll(`[data-testid="${testid}-item"][data-status="done"]`).length === n,
    { testid, n: before + files.length },
  )
}

/** Waits until the case detail's thumbnails have really loaded; answers how many. */
export async function photosLoaded(page, scope = '') {
  const sel = `${scope} [data-testid="case-photo"] img`
  await page.waitForFunction(
    (sel) => {
      const imgs = [...document.querySelectorAll(sel)]
      return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0)
    },
    sel,
  )
  return page.locator(sel).count()
}

export async function caseState(page, id) {
  return page.evaluate(async (id) => (await (await fetch(`/api/v1/cases/${id}`)).json()).state, id)
}

export function expect(cond, msg) {
  if (!cond) throw new Error(msg)
}

/**
 * A test of a feature the server may not have yet (time limits, notices, evaluation and the
 * working calendar came with the web UI first): thrown when its endpoint answers 404 or 405, the
 * runner counts the test as skipped, not failed.
 */
export class Skip extends Error {}

/** Skips the test (closing its page) unless the server answers `path` with something else than 404/405. */
export async function needs(page, path) {
  const status = await page.evaluate(async (p) => (await fetch(p)).status, path)
  if (status === 404 || status === 405) {
    await page.context().close()
    throw new Skip(`${path} answers ${status}: not in this server yet`)
  }
}

/** Skips the test unless the server's case views carry time limits (`deadline`). */
export async function needsDeadlines(page, id, close = true) {
  const c = await page.evaluate(async (id) => (await fetch(`/api/v1/cases/${id}`)).json(), id)
  if (!('deadline' in c)) {
    if (close) await page.context().close()
    throw new Skip('case views have no `deadline` yet')
  }
  return c
}

/** A rate as the UI shows it: 0.875 → 87.5%, none → —. */
export const fmtRate = (r) => (typeof r === 'number' ? `${(Math.round(r * 1000) / 10).toFixed(1)}%` : '—')
/** Today in China, YYYY-MM-DD. */
export const chinaToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)

export const tests = []
/** A whole test's limit: only a hung test reaches it, even on a loaded machine. */
export const TEST_LIMIT_S = Number(process.env.E2E_TEST_LIMIT_S ?? 240)
// E2E_ONLY=regex runs only the tests whose names match (e.g. while working on one screen).
export const ONLY = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null
export const test = (name, fn) => (!ONLY || ONLY.test(name)) && tests.push({ name, fn })

/** State one journey leaves for the next (the resident's case, its code, the grid). */
export const shared = {}

// End-to-end browser tests: headless Debian Chromium driven by playwright-core against a
// running `civicgrid demo` (CIVICGRID_URL, e.g. http://127.0.0.1:18080). scripts/test-web.sh
// starts the server and runs this. Screenshots go to web/e2e/screenshots/ (gitignored).
//
// Prints one line per test and a closing "N passed, N failed" line; exits 1 on any failure.
// Steps wait for conditions (an element, an attribute, a response, a resting map) with generous
// timeouts, never for a fixed time, so a loaded machine makes them slower but not red.
// Tests of features the server does not have yet (404 on their endpoint) print "skip" instead.
// The journeys run in the order of the files below: later ones use what earlier ones left.

import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { browser, expect, externalRequests, profile, Skip, SHOTS, TEST_LIMIT_S, test, tests } from './kit.mjs'
import './tests/01-case.mjs'
import './tests/02-shift.mjs'
import './tests/03-evaluation.mjs'
import './tests/04-light.mjs'
import './tests/05-maps.mjs'
import './tests/06-access.mjs'
import './tests/07-corrections.mjs'
import './tests/08-resident.mjs'

test('no request left the server', async () => {
  expect(externalRequests.length === 0, `external requests: ${externalRequests.join(', ')}`)
})


let passed = 0
let failed = 0
let skipped = 0
for (const t of tests) {
  const started = Date.now()
  try {
    await Promise.race([t.fn(), new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${TEST_LIMIT_S} s`)), TEST_LIMIT_S * 1000))])
    passed++
    console.log(`ok   ${t.name} (${Date.now() - started} ms)`)
  } catch (e) {
    if (e instanceof Skip) {
      skipped++
      console.log(`skip ${t.name}: ${e.message}`)
      continue
    }
    failed++
    // The first line, and which locator Playwright was waiting for when it gave up.
    const lines = e.message.split('\n')
    const waiting = lines.find((l) => l.includes('waiting for'))
    console.log(`FAIL ${t.name}: ${lines[0]}${waiting ? ` (${waiting.trim()})` : ''}`)
    for (const p of browser.contexts().flatMap((c) => c.pages())) {
      await p.screenshot({ path: join(SHOTS, `failure-${failed}.png`) }).catch(() => {})
    }
  }
}
await browser.close()
rmSync(profile, { recursive: true, force: true })
console.log(`e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed ? 1 : 0)

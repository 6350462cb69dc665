import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, type RouteRecordRaw } from 'vue-router'
import { SCREENS, pathOf } from './access'
import type { Role, User } from './api'
import { decide, makeRouter, routes } from './router'
import { loadUser, user } from './session'

const someone = (role: Role): User => ({ id: 'u-' + role, username: role, display_name: role, role, scope: '3710', department: null })
// The screens themselves are not what is tested: each route gets an empty component.
const stubbed = routes.map((r) => ('component' in r && r.component ? { ...r, component: { render: () => null } } : r)) as RouteRecordRaw[]

/** A router as the app's, signed in as `role` (through GET /me) or signed out (null). */
async function routerAs(role: Role | null) {
  user.value = null
  vi.stubGlobal('fetch', () =>
    Promise.resolve(
      role
        ? new Response(JSON.stringify(someone(role)))
        : new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'sign in', field: null } }), { status: 401 }),
    ),
  )
  await loadUser(true)
  return makeRouter(createMemoryHistory(), stubbed)
}

async function land(role: Role | null, path: string): Promise<string> {
  const r = await routerAs(role)
  await r.push(path)
  return r.currentRoute.value.fullPath
}

beforeEach(() => (user.value = null))
afterEach(() => {
  vi.unstubAllGlobals()
  user.value = null
})

describe('the routes', () => {
  it('give every screen of the table its route, named by its path', () => {
    for (const s of SCREENS) {
      const r = routes.find((x) => x.path === pathOf(s))
      expect(r?.meta?.screen, s).toBe(s)
    }
  })
})

describe('the guard', () => {
  it('sends a handler who opens /admin or the command centre home, to the workbench', async () => {
    expect(await land('department_handler', '/admin')).toBe('/workbench')
    expect(await land('department_handler', '/screen')).toBe('/workbench')
    expect(await land('department_handler', '/evaluation')).toBe('/evaluation')
    expect(await land('department_handler', '/map')).toBe('/map')
  })
  it("lets each role into its screens and sends it home from the others", async () => {
    expect(await land('admin', '/admin')).toBe('/admin')
    expect(await land('leader', '/evaluation')).toBe('/evaluation')
    expect(await land('leader', '/admin')).toBe('/screen')
    expect(await land('grid_worker', '/evaluation')).toBe('/worker')
    expect(await land('town_dispatcher', '/worker')).toBe('/workbench')
    expect(await land('resident', '/workbench')).toBe('/resident')
  })
  it('opens the printable method to anyone signed in, and sends someone signed out to the login', async () => {
    expect(await land('department_handler', '/evaluation/method')).toBe('/evaluation/method')
    expect(await land('grid_worker', '/evaluation/method')).toBe('/evaluation/method')
    expect(await land('leader', '/evaluation/method')).toBe('/evaluation/method')
    expect(await land(null, '/evaluation/method')).toBe('/login?next=/evaluation/method')
  })
  it('sends someone signed out to the login, and back afterwards', async () => {
    expect(await land(null, '/workbench?case=c1')).toBe('/login?next=/workbench?case=c1')
    expect(await land(null, '/')).toBe('/login')
    expect(await land(null, '/resident?tab=track')).toBe('/resident?tab=track')
  })
  it('opens home by role', async () => {
    expect(await land('leader', '/')).toBe('/screen')
    expect(await land('department_handler', '/')).toBe('/workbench')
    expect(await land('grid_worker', '/nowhere')).toBe('/worker')
  })
  it('decides without a router too', () => {
    const to = (path: string) => {
      const r = routes.find((x) => x.path === path)!
      return { name: r.name, meta: r.meta ?? {}, fullPath: path }
    }
    expect(decide(to('/admin'), someone('mediator'))).toBe('/workbench')
    expect(decide(to('/admin'), someone('admin'))).toBe(true)
    expect(decide(to('/login'), null)).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { ACCESS, homeOf, isStaff, mayOpen, menuOf, SCREENS } from './access'
import type { Role } from './api'

const ROLES = Object.keys(ACCESS) as Role[]

describe('the role → screen table', () => {
  it('covers every role, and each home is a screen the role may open', () => {
    expect(ROLES.sort()).toEqual(
      ['admin', 'community_admin', 'department_handler', 'district_dispatcher', 'grid_worker', 'leader', 'mediator', 'resident', 'town_dispatcher'],
    )
    for (const r of ROLES) expect(ACCESS[r].screens, r).toContain(ACCESS[r].home)
    for (const r of ROLES) for (const s of ACCESS[r].screens) expect(SCREENS, `${r}: ${s}`).toContain(s)
  })

  it("gives a department handler the workbench, the map and the departments' ranking: no 系统管理, no command-centre screen", () => {
    expect(menuOf('department_handler')).toEqual(['workbench', 'map', 'evaluation'])
    expect(mayOpen('department_handler', 'admin')).toBe(false)
    expect(mayOpen('department_handler', 'screen')).toBe(false)
    expect(mayOpen('department_handler', 'evaluation')).toBe(true)
    expect(homeOf('department_handler')).toBe('/workbench')
  })

  it('lets only an admin into 系统管理, as the admin routes of the server do', () => {
    expect(ROLES.filter((r) => mayOpen(r, 'admin'))).toEqual(['admin'])
    expect(menuOf('admin')).toEqual(['workbench', 'map', 'screen', 'evaluation', 'admin'])
    expect(homeOf('admin')).toBe('/admin')
  })

  it("offers 考核评价 to whom the server's RANKED lets read it", () => {
    const readers = ['admin', 'community_admin', 'department_handler', 'district_dispatcher', 'leader', 'town_dispatcher']
    expect(ROLES.filter((r) => mayOpen(r, 'evaluation')).sort()).toEqual(readers)
  })

  it('gives the command centres and leaders the workbench, map, screen and evaluation', () => {
    for (const r of ['district_dispatcher', 'town_dispatcher', 'community_admin', 'leader'] as Role[]) {
      expect(menuOf(r), r).toEqual(['workbench', 'map', 'screen', 'evaluation'])
    }
    expect(homeOf('leader')).toBe('/screen')
    expect(homeOf('town_dispatcher')).toBe('/workbench')
  })

  it('sends the grid worker to its phone screen and a resident to the resident page', () => {
    expect(homeOf('grid_worker')).toBe('/worker')
    expect(menuOf('grid_worker')).toEqual(['worker', 'workbench', 'map'])
    expect(homeOf('resident')).toBe('/resident')
    expect(menuOf('resident')).toEqual(['resident'])
    expect(ROLES.filter((r) => mayOpen(r, 'worker'))).toEqual(['grid_worker'])
  })

  it('keeps a phone header to the phone screens', () => {
    expect(menuOf('grid_worker', true)).toEqual(['worker', 'workbench'])
    expect(menuOf('leader', true)).toEqual(['workbench'])
    expect(menuOf(undefined, true)).toEqual([])
  })

  it('gives someone signed out, or a role this UI does not know, the resident page only', () => {
    expect(menuOf(null)).toEqual(['resident'])
    expect(mayOpen(undefined, 'workbench')).toBe(false)
    expect(homeOf('someday_role' as Role)).toBe('/resident')
    expect(mayOpen('someday_role' as Role, 'admin')).toBe(false)
    expect(isStaff('resident')).toBe(false)
    expect(isStaff('mediator')).toBe(true)
  })
})

// Who may open which screen: the one table the header's menu and the router's guard both read.
// It follows the server's role checks, so nobody is offered a screen whose requests the API
// refuses or answers empty:
// - 系统管理 (admin): the admin routes answer only an admin (`ADMINS_ONLY` in crates/server/src/accounts).
// - 考核评价 (evaluation) and the command centre's rates: `EVALUATORS` in crates/server/src/evaluation
//   lets the three dispatcher roles (community, town, district), leaders and admins read them.
// - A department handler sees only the cases dispatched to its department (Visibility::Department),
//   so the city-wide screen is not its work: the workbench, the map, and the departments' ranking
//   with its own place in it (`RANKED` in crates/server/src/evaluation: by=department only, no export).
// - A mediator reads the cases of its area but runs no queue: the workbench and the map.
// - The grid worker's home is its phone screen (cases of its area, quick report, patrol log —
//   the log is kept by grid workers, `WRITERS` in crates/server/src/patrol); it may still open the workbench and map.
// - A resident reads only its own reports: the resident page.
import type { Role } from './api'

/**
 * The screens, in the order of the menu. A screen's path is `/<screen>` (registered by its
 * module's routes.ts with `meta.screen`) and its menu label the message `nav.<screen>`.
 */
export const SCREENS = ['worker', 'workbench', 'map', 'screen', 'evaluation', 'admin', 'resident'] as const
export type Screen = (typeof SCREENS)[number]

/** What a phone's header offers: the screens made for a phone. */
const PHONE_MENU: readonly Screen[] = ['worker', 'workbench']

export interface Access {
  /** Where the role lands after signing in, and where a screen it may not open sends it. */
  home: Screen
  screens: readonly Screen[]
}

const COMMAND_CENTRE: readonly Screen[] = ['workbench', 'map', 'screen', 'evaluation']

export const ACCESS: Readonly<Record<Role, Access>> = {
  admin: { home: 'admin', screens: [...COMMAND_CENTRE, 'admin'] },
  district_dispatcher: { home: 'workbench', screens: COMMAND_CENTRE },
  town_dispatcher: { home: 'workbench', screens: COMMAND_CENTRE },
  community_admin: { home: 'workbench', screens: COMMAND_CENTRE },
  leader: { home: 'screen', screens: COMMAND_CENTRE },
  department_handler: { home: 'workbench', screens: ['workbench', 'map', 'evaluation'] },
  mediator: { home: 'workbench', screens: ['workbench', 'map'] },
  grid_worker: { home: 'worker', screens: ['worker', 'workbench', 'map'] },
  resident: { home: 'resident', screens: ['resident'] },
}

/** What someone signed out, or with a role this UI does not know yet, may open. */
const NOBODY: Access = { home: 'resident', screens: ['resident'] }

const accessOf = (role: Role | null | undefined): Access => (role && ACCESS[role]) || NOBODY

export const pathOf = (s: Screen) => '/' + s

/** True if `role` may open `screen`. */
export const mayOpen = (role: Role | null | undefined, screen: Screen): boolean => accessOf(role).screens.includes(screen)

/** The first screen of a role. */
export const homeOf = (role: Role | null | undefined): string => pathOf(accessOf(role).home)

/** The header's menu for `role`, in menu order; a phone's (`compact`) only has the phone screens. */
export function menuOf(role: Role | null | undefined, compact = false): Screen[] {
  const mine = accessOf(role).screens
  return SCREENS.filter((s) => mine.includes(s) && (!compact || PHONE_MENU.includes(s)))
}

export const isStaff = (r: Role | null | undefined) => !!r && r !== 'resident'
